import { currencyExponent, PaybridgeError } from '@paybridge/core';

/**
 * Stripe's own exponents where they differ from ISO 4217 (protocol reference §7). Stripe's zero-decimal
 * list (BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF VND VUV XAF XOF XPF) takes major units, which is the ISO
 * exponent for all of them but MGA (ISO 2). ISK is sent with two decimals that must be 00; UGX is listed
 * both ways (UNCONFIRMED) and follows the special-case text: two decimals that must be 00.
 */
const STRIPE_EXPONENTS: Readonly<Record<string, number>> = { MGA: 0, ISK: 2, UGX: 2 };

/** Three-decimal currencies whose last digit must be 0 on payments and refunds (§7.3). */
const TENS_ONLY = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export function stripeExponent(currency: string, overrides: Readonly<Record<string, number>> = {}): number {
  return overrides[currency] ?? STRIPE_EXPONENTS[currency] ?? currencyExponent(currency);
}

/** Our minor units (ISO exponent) → Stripe's `amount`. Refuses what Stripe cannot take exactly. */
export function toStripeAmount(
  amount: number,
  currency: string,
  overrides: Readonly<Record<string, number>> = {},
): number {
  const shift = stripeExponent(currency, overrides) - currencyExponent(currency);
  let result = amount;
  if (shift > 0) result = amount * 10 ** shift;
  if (shift < 0) {
    const factor = 10 ** -shift;
    if (amount % factor !== 0) {
      throw new PaybridgeError(
        'INVALID_AMOUNT',
        `Stripe takes ${currency} in whole units: ${amount} minor units is not a multiple of ${factor}`,
        { details: { amount, currency } },
      );
    }
    result = amount / factor;
  }
  if (TENS_ONLY.has(currency) && result % 10 !== 0) {
    throw new PaybridgeError(
      'INVALID_AMOUNT',
      `Stripe requires ${currency} amounts to end in 0 (got ${amount})`,
      { details: { amount, currency } },
    );
  }
  if (!Number.isSafeInteger(result)) {
    throw new PaybridgeError('INVALID_AMOUNT', `${amount} ${currency} is too large for Stripe`);
  }
  return result;
}

/** Stripe's `amount` → our minor units; `null` when it is not a whole number of them. */
export function fromStripeAmount(
  amount: number,
  currency: string,
  overrides: Readonly<Record<string, number>> = {},
): number | null {
  const shift = stripeExponent(currency, overrides) - currencyExponent(currency);
  if (shift === 0) return amount;
  if (shift < 0) return amount * 10 ** -shift;
  const factor = 10 ** shift;
  return amount % factor === 0 ? amount / factor : null;
}
