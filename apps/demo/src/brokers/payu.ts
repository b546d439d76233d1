import { PAYU_CURRENCIES, payu } from '@paybridge/backend-payu';
import type { WireBroker } from './credentials';
import { LOCAL, localPos, type PayuCurrency } from './local';

/** The real POS (one currency, `PAYU_CURRENCY`), or one local POS per currency the shop sells in. */
export const payuBackends: WireBroker = ({ env, real, local, keys }) =>
  real
    ? payu({
        posId: env.PAYU_POS_ID as string,
        clientId: env.PAYU_CLIENT_ID ?? (env.PAYU_POS_ID as string),
        clientSecret: env.PAYU_CLIENT_SECRET as string,
        secondKey: env.PAYU_SECOND_KEY as string,
        currency: payuCurrency(env.PAYU_CURRENCY ?? 'PLN'),
      })
    : LOCAL.payu
        .map((p) => localPos(p, keys))
        .map((pos) =>
          payu({
            id: pos.id,
            displayName: 'PayU',
            posId: pos.posId,
            clientId: pos.clientId,
            clientSecret: pos.clientSecret,
            secondKey: pos.secondKey,
            currency: pos.currency,
            endpoint: `${local}/payu`,
            // Under `app.request` (tests) there is no TCP peer; PayU refuses orders without a buyer IP.
            fallbackCustomerIp: '127.0.0.1',
          }),
        );

function payuCurrency(code: string): PayuCurrency {
  const found = PAYU_CURRENCIES.find((c) => c === code.toUpperCase());
  if (!found) throw new Error(`PAYU_CURRENCY must be one of ${PAYU_CURRENCIES.join(', ')}`);
  return found;
}
