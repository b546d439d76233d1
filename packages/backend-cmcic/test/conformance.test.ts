import { checkBinding, runBackendConformance } from '@paybridge/core/testing';
import { describe, it } from 'vitest';
import { cmcic } from '../src/cmcic';
import { bindingFixture, KEY } from './support/fixtures';

runBackendConformance({
  name: 'cmcic',
  factory: cmcic,
  validSettings: { tpe: '1234567', key: '12345678901234567890123456789012345678P0', company: 'monSite1' },
  invalidSettings: { tpe: '1234567', key: 'not-a-key', company: 'mon site' },
  secretFields: ['key'],
  currency: 'EUR',
  amount: 1999,
  binding: bindingFixture('current'),
});

// The kit runs the binding check with the current scheme; the legacy one seals other fields.
describe('cmcic binding, legacy scheme', () => {
  for (const scenario of ['unpaid', 'paid'] as const) {
    it(`binding: a genuine refusal of another attempt naming the ${scenario} payment cannot fail it`, async () => {
      const fixture = bindingFixture('legacy');
      await checkBinding({
        backend: cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', macScheme: 'legacy' }),
        fixture,
        currency: 'EUR',
        amount: 1999,
        scenario,
      });
    });
  }
});
