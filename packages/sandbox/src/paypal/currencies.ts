/**
 * PayPal's supported currencies (protocol reference §5): 24 codes. HUF, JPY and TWD take no decimals
 * ("decimal amounts cause an error"); the others take two. BRL, MYR and CNY are in-country only,
 * which the simulator does not model.
 */
export const PAYPAL_CURRENCIES: Readonly<Record<string, 0 | 2>> = {
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  HKD: 2,
  HUF: 0,
  ILS: 2,
  JPY: 0,
  MYR: 2,
  MXN: 2,
  TWD: 0,
  NZD: 2,
  NOK: 2,
  PHP: 2,
  PLN: 2,
  GBP: 2,
  SGD: 2,
  SEK: 2,
  CHF: 2,
  THB: 2,
  USD: 2,
};

export function currencyDecimals(currency: string): 0 | 2 | undefined {
  return Object.hasOwn(PAYPAL_CURRENCIES, currency) ? PAYPAL_CURRENCIES[currency] : undefined;
}

/**
 * Parse a PayPal decimal amount (`.` separator, no thousands separators) to integer minor units.
 * Returns an error message instead when the text is not an amount PayPal would accept in `currency`.
 */
export function parseAmount(text: string, currency: string): { minor: number } | { error: string } {
  const decimals = currencyDecimals(currency);
  if (decimals === undefined) return { error: `currency ${currency} is not supported by PayPal` };
  const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return { error: `"${text}" is not an amount (digits, optional "." and decimals)` };
  const fraction = match[2];
  if (fraction !== undefined && decimals === 0) {
    return { error: `${currency} does not support decimal amounts ("${text}")` };
  }
  if (fraction !== undefined && fraction.length > decimals) {
    return { error: `${currency} amounts take at most ${decimals} decimals ("${text}")` };
  }
  const minor = Number(match[1]) * 10 ** decimals + Number((fraction ?? '').padEnd(decimals, '0') || '0');
  return { minor };
}

/** Format integer minor units as PayPal writes them in IPNs: `12.50`, `-12.50`, `1500` (JPY). */
export function formatAmount(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency) ?? 2;
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  return decimals === 0
    ? `${sign}${digits}`
    : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
