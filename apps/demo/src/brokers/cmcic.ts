import { cmcic } from '@paybridge/backend-cmcic';
import type { Payment } from '@paybridge/core';
import type { WireBroker } from './credentials';
import { LOCAL } from './local';

/** Where the demo's buyer is billed (there are no accounts: one address for every browser). */
export const DEMO_BILLING_ADDRESS = {
  line1: '18 rue de la Paix',
  city: 'Paris',
  postalCode: '75002',
  country: 'FR',
};

/**
 * CM-CIC's `contexte_commande` (current scheme): the bank requires the billing address. A signed
 * button carries only the buyer's e-mail and language, so the demo adds the buyer's address here.
 */
function demoOrderContext(payment: Payment): Record<string, unknown> {
  const address = payment.buyer.billingAddress ?? DEMO_BILLING_ADDRESS;
  const { email, firstName, lastName } = payment.buyer;
  return {
    billing: {
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
      ...(email ? { email } : {}),
      addressLine1: address.line1,
      city: address.city,
      postalCode: address.postalCode,
      country: address.country,
    },
  };
}

/** CM-CIC's express-payment alias must be `[A-Za-z0-9]{1,64}`: derived from the buyer's email here. */
const aliasOf = (email: string | undefined) =>
  (email ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 64) || null;

export const cmcicBackend: WireBroker = ({ env, real, local, keys }) =>
  real
    ? cmcic({
        tpe: env.CMCIC_TPE as string,
        key: env.CMCIC_KEY as string,
        company: env.CMCIC_COMPANY as string,
        macScheme: env.CMCIC_MAC_SCHEME === 'legacy' ? 'legacy' : 'current',
        ...(env.CMCIC_ENDPOINT ? { endpoint: env.CMCIC_ENDPOINT } : {}),
        alias: (payment) => aliasOf(payment.buyer.email),
        orderContext: demoOrderContext,
      })
    : cmcic({
        ...LOCAL.cmcic,
        key: keys.cmcic,
        macScheme: 'current',
        language: 'EN',
        endpoint: `${local}/cmcic/test`,
        alias: (payment) => aliasOf(payment.buyer.email),
        orderContext: demoOrderContext,
      });
