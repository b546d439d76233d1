import { currencyExponent, formatMinor, PaybridgeError, parseMajor } from '@paybridge/core';

/**
 * "PayPal Supported Currencies" (payments and balances), minus the three PayPal only lets in-country
 * accounts receive (BRL, MYR, CNY): those are opt-in through the `currencies` setting.
 * Source: protocols/paypal.md §5.
 */
export const PAYPAL_DEFAULT_CURRENCIES = [
  'AUD',
  'CAD',
  'CHF',
  'CZK',
  'DKK',
  'EUR',
  'GBP',
  'HKD',
  'HUF',
  'ILS',
  'JPY',
  'MXN',
  'NOK',
  'NZD',
  'PHP',
  'PLN',
  'SEK',
  'SGD',
  'THB',
  'TWD',
  'USD',
] as const;

/** Receivable only by accounts registered in the currency's own country. */
export const PAYPAL_IN_COUNTRY_CURRENCIES = ['BRL', 'CNY', 'MYR'] as const;

export const PAYPAL_CURRENCIES: readonly string[] = [
  ...PAYPAL_DEFAULT_CURRENCIES,
  ...PAYPAL_IN_COUNTRY_CURRENCIES,
].sort();

/**
 * PayPal refuses any fraction for these, although ISO 4217 gives HUF and TWD two decimals:
 * "decimal amounts cause an error" (PayPal currency table, protocols/paypal.md §2 and §5).
 */
const ZERO_DECIMAL = new Set(['HUF', 'JPY', 'TWD']);

export function paypalDecimals(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : currencyExponent(currency);
}

/**
 * Minor units → PayPal's decimal string ("19.99", "1500"). Refuses an amount PayPal cannot take
 * (150050 HUF minor units = 1500.50 Ft has no zero-decimal form) instead of rounding the customer's money.
 */
export function formatPaypalAmount(amount: number, currency: string): string {
  if (!PAYPAL_CURRENCIES.includes(currency)) {
    throw new PaybridgeError('UNSUPPORTED_CURRENCY', `PayPal does not take ${currency}`, {
      details: { currency },
    });
  }
  return formatMinor(amount, currency, { decimals: paypalDecimals(currency) });
}

/**
 * PayPal's decimal string ("-10.00", "1500") → signed minor units of `currency`, exactly; `null`
 * when it is not a plain decimal with at most the currency's digits.
 */
export function parsePaypalAmount(value: string | undefined, currency: string): number | null {
  if (value === undefined) return null;
  try {
    return parseMajor(value, currency);
  } catch {
    return null;
  }
}
