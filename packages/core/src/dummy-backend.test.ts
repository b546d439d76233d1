import { dummy } from './dummy-backend';
import { runBackendConformance } from './testing/backend-conformance';

runBackendConformance({
  name: 'dummy',
  factory: dummy,
  validSettings: { signingKey: 'a-signing-key-of-32-characters!!' },
  invalidSettings: { signingKey: 'short', currencies: ['euro'] },
  secretFields: ['signingKey'],
  currency: 'EUR',
});
