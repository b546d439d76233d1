import { runBackendConformance } from '@paybridge/core/testing';
import { cmcic } from './cmcic';

runBackendConformance({
  name: 'cmcic',
  factory: cmcic,
  validSettings: { tpe: '1234567', key: '12345678901234567890123456789012345678P0', company: 'monSite1' },
  invalidSettings: { tpe: '1234567', key: 'not-a-key', company: 'mon site' },
  secretFields: ['key'],
  currency: 'EUR',
  amount: 1999,
});
