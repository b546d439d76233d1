import { createHmac } from 'node:crypto';
import type { PAYU_CURRENCIES } from '@paybridge/backend-payu';
import type { LocalKeys } from '../local-keys';

export type PayuCurrency = (typeof PAYU_CURRENCIES)[number];

/**
 * The local sandbox's made-up accounts, one per broker. Their keys are never here but in `LocalKeys`
 * (generated per data directory, see `local-keys.ts`).
 */
export const LOCAL = {
  paypal: { business: 'merchant@example.com', receiverId: 'MERCHANT12345' },
  // A PayU POS takes one currency, so the shop has one backend per currency it sells in with PayU.
  payu: [
    { id: 'payu', currency: 'PLN' as PayuCurrency, posId: '300746' },
    { id: 'payu-eur', currency: 'EUR' as PayuCurrency, posId: '400100' },
    { id: 'payu-usd', currency: 'USD' as PayuCurrency, posId: '400200' },
  ],
  cmcic: { tpe: '1234567', company: 'monSite1' },
  // The currencies the shop sells in with Stripe (the catalogue's EUR, USD and JPY products).
  stripe: { currencies: ['EUR', 'USD', 'JPY'] },
  // Przelewy24 (BLIK) for the złoty products.
  przelewy24: { merchantId: 100200, currencies: ['PLN'] },
  // Razorpay takes the catalogue's INR product; the key id is made up, its secrets are derived below.
  razorpay: { keyId: 'rzp_test_PaybridgeDemo1' },
  // Flutterwave for the naira, shilling and cedi products.
  flutterwave: { currencies: ['NGN', 'KES', 'GHS'] },
} as const;

/**
 * The local Razorpay account's key secret and webhook secret, derived from this data directory's
 * random button secret (so they differ per installation without a new entry in the keys file).
 */
export function localRazorpayKeys(keys: LocalKeys) {
  const derive = (purpose: string) => createHmac('sha256', keys.buttonSecret).update(purpose).digest('hex');
  return {
    keyId: LOCAL.razorpay.keyId,
    keySecret: derive('razorpay key secret'),
    webhookSecret: derive('razorpay webhook secret'),
  };
}

export const LOCAL_PAYU_POS_IDS = LOCAL.payu.map((pos) => pos.posId);

/** A local POS with its keys. */
export function localPos(pos: (typeof LOCAL.payu)[number], keys: LocalKeys) {
  const secrets = keys.payu[pos.posId];
  if (!secrets) throw new Error(`no local sandbox keys for PayU POS ${pos.posId}`);
  return { ...pos, clientId: pos.posId, ...secrets };
}
