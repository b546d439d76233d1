// PayU: one backend per POS (a POS takes one currency).
import { payu } from '@paybridge/backend-payu';

const env = process.env;

export const payuBackends = [
  payu({
    posId: env.PAYU_POS_ID!,
    clientId: env.PAYU_CLIENT_ID!,
    clientSecret: env.PAYU_CLIENT_SECRET!,
    secondKey: env.PAYU_SECOND_KEY!,
    currency: 'PLN',
  }),
  payu({
    id: 'payu-eur', // its own notification route: /notify/payu-eur
    displayName: 'PayU (EUR)',
    posId: env.PAYU_EUR_POS_ID!,
    clientId: env.PAYU_EUR_CLIENT_ID!,
    clientSecret: env.PAYU_EUR_CLIENT_SECRET!,
    secondKey: env.PAYU_EUR_SECOND_KEY!,
    currency: 'EUR',
  }),
];

// Against the local simulator, with PayU's public sandbox POS.
export const payuOnSandbox = payu({
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  currency: 'PLN',
  testMode: true,
  endpoint: 'http://127.0.0.1:4000/payu',
});
