import { runBackendConformance } from '@paybridge/core/testing';
import { createSandbox } from '@paybridge/sandbox';
import { payu } from './payu';

const SANDBOX = 'http://sandbox.test';
const sandbox = createSandbox({ baseUrl: SANDBOX });

runBackendConformance({
  name: 'payu',
  factory: payu,
  validSettings: {
    posId: '300746',
    clientId: '300746',
    clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
    secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  },
  invalidSettings: { posId: '', clientId: '300746', secondKey: 42, currencies: ['JPY'] },
  secretFields: ['clientSecret', 'secondKey'],
  currency: 'PLN',
  amount: 21000,
  endpoint: `${SANDBOX}/payu`,
  fetch: (request) => sandbox.handler(request),
});
