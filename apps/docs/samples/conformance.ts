// The shared suites every backend and store of paybridge passes; run them against your own.

import { cmcic } from '@paybridge/backend-cmcic';
import { runBackendConformance, runStoreConformance } from '@paybridge/core/testing';
import { sqliteStore } from '@paybridge/store-sql';

runStoreConformance({
  name: 'sqlite (throw-away file)',
  create: async () => sqliteStore({ filename: ':memory:' }),
});

runBackendConformance({
  name: 'cmcic',
  factory: cmcic,
  validSettings: { tpe: '1234567', key: '12345678901234567890123456789012345678P0', company: 'monSite1' },
  invalidSettings: { tpe: '1234567', key: 'not-a-key', company: 'mon site' },
  secretFields: ['key'],
  currency: 'EUR',
  amount: 1999,
});
