import { PaybridgeError } from './errors';

/**
 * Money is an integer count of the currency's minor unit (1999 EUR = 19.99 €), never a float.
 * Exponents follow ISO 4217; the table lists every currency whose exponent is not 2.
 */
const NON_TWO_DECIMAL: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

let knownCurrencies: ReadonlySet<string> | undefined;

function supportedCurrencies(): ReadonlySet<string> {
  if (!knownCurrencies) {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    knownCurrencies = new Set(intl.supportedValuesOf ? intl.supportedValuesOf('currency') : []);
  }
  return knownCurrencies;
}

/** True for a syntactically valid ISO 4217 code that the runtime's Intl knows (or any 3-letter code when it lists none). */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  const known = supportedCurrencies();
  return known.size === 0 || known.has(code) || code in NON_TWO_DECIMAL;
}

export function assertCurrency(code: string): string {
  if (!isCurrencyCode(code)) {
    throw new PaybridgeError('UNSUPPORTED_CURRENCY', `"${code}" is not an ISO 4217 currency code`, {
      details: { currency: code },
    });
  }
  return code;
}

/** Number of minor-unit digits of a currency (JPY 0, EUR 2, KWD 3). */
export function currencyExponent(currency: string): number {
  return NON_TWO_DECIMAL[assertCurrency(currency)] ?? 2;
}

export function assertMinorAmount(amount: number, what = 'amount'): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new PaybridgeError('INVALID_AMOUNT', `${what} must be a non-negative integer of minor units`, {
      details: { [what]: amount },
    });
  }
  return amount;
}

export interface FormatOptions {
  /** Digits after the separator; defaults to the currency's exponent. Must be ≥ what the amount needs. */
  decimals?: number;
  /** Drop a fractional part made only of zeros ("10.00" → "10"). */
  trimZeroFraction?: boolean;
}

/**
 * Minor units → a plain decimal string with "." ("19.99", "1000", "0.005"). Exact: string arithmetic only.
 * Throws when `decimals` is smaller than the exponent and the amount has a non-zero fraction that would be lost.
 */
export function formatMinor(amount: number, currency: string, options: FormatOptions = {}): string {
  assertMinorAmount(amount);
  const exponent = currencyExponent(currency);
  const digits = String(amount).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  let fraction = exponent === 0 ? '' : digits.slice(-exponent);
  const decimals = options.decimals ?? exponent;
  if (decimals < fraction.length) {
    const dropped = fraction.slice(decimals);
    if (/[^0]/.test(dropped)) {
      throw new PaybridgeError(
        'INVALID_AMOUNT',
        `${whole}.${fraction} ${currency} cannot be written with ${decimals} decimal(s)`,
        { details: { amount, currency, decimals } },
      );
    }
    fraction = fraction.slice(0, decimals);
  } else {
    fraction = fraction.padEnd(decimals, '0');
  }
  if (options.trimZeroFraction && /^0*$/.test(fraction)) fraction = '';
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * A decimal string ("19.99", "-10.00", "1000", "0.5") → signed minor units, exactly.
 * Rejects more fraction digits than the currency has unless they are zeros, exponents, separators and junk.
 */
export function parseMajor(value: string, currency: string): number {
  const match = /^\s*([+-]?)(\d+)(?:\.(\d*))?\s*$/.exec(value);
  if (!match) {
    throw new PaybridgeError('INVALID_AMOUNT', `"${value}" is not a decimal amount`, { details: { value } });
  }
  const [, sign = '', whole = '0', rawFraction = ''] = match;
  const exponent = currencyExponent(currency);
  let fraction = rawFraction;
  if (fraction.length > exponent) {
    if (/[^0]/.test(fraction.slice(exponent))) {
      throw new PaybridgeError('INVALID_AMOUNT', `"${value}" has more decimals than ${currency} allows`, {
        details: { value, currency },
      });
    }
    fraction = fraction.slice(0, exponent);
  }
  const minor = Number(`${whole}${fraction.padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(minor)) {
    throw new PaybridgeError('INVALID_AMOUNT', `"${value}" is out of range`, { details: { value } });
  }
  return sign === '-' ? -minor : minor;
}

/** Human display, e.g. "19,99 €" for fr. Never used for broker messages. */
export function displayMoney(amount: number, currency: string, locale = 'en'): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(Number(formatMinor(amount, currency)));
}
