import { currencyExponent, formatMinor, PaybridgeError } from '@paybridge/core';

/**
 * Flutterwave takes and returns MAJOR units with decimals (reference §2, gotcha 1): 1999 NGN minor
 * units is `19.99`. Both directions are string arithmetic on the currency's ISO 4217 exponent.
 */

/** Minor units → the decimal literal written into the JSON body (`19.99`, `100`, `0.5`). */
export function toMajorDecimal(minor: number, currency: string): string {
  const text = formatMinor(minor, currency);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * A major-unit amount from Flutterwave (a JSON number, or a numeric string) → minor units, rounded
 * half-up to the currency's exponent when Flutterwave sent more digits (fees like `1.405`). Numbers
 * are read through their shortest round-trip text (`String(100.5)` is "100.5"), never multiplied.
 */
export function fromMajor(value: number | string, currency: string): number {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new PaybridgeError('INVALID_AMOUNT', `Flutterwave amount "${text}" is not a decimal amount`, {
      details: { value: text },
    });
  }
  const exponent = currencyExponent(currency);
  const whole = match[1] as string;
  const fraction = match[2] ?? '';
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  let minor = BigInt(`${whole}${kept}`);
  if (fraction.length > exponent && Number(fraction[exponent]) >= 5) minor += 1n;
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new PaybridgeError('INVALID_AMOUNT', `Flutterwave amount "${text}" is out of range`, {
      details: { value: text },
    });
  }
  return Number(minor);
}

function numberText(value: number): string {
  if (!Number.isFinite(value) || value < 0) return String(value);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // 1e-7 or 1e+21: write the digits out from the exponent form, still without arithmetic on floats.
  const [mantissa = '', exp = '0'] = text.toLowerCase().split('e');
  const [int = '', frac = ''] = mantissa.split('.');
  const digits = `${int}${frac}`;
  const point = int.length + Number(exp);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${digits}${'0'.repeat(point - digits.length)}`;
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A JSON object text with `amount` written as the exact decimal literal, so no float ever holds the
 * amount on our side (the other fields go through JSON.stringify).
 */
export function jsonWithAmount(fields: Record<string, unknown>, amountDecimal: string): string {
  if (!DECIMAL.test(amountDecimal)) throw new TypeError(`not a decimal literal: ${amountDecimal}`);
  const rest = JSON.stringify(fields);
  return rest === '{}' ? `{"amount":${amountDecimal}}` : `{"amount":${amountDecimal},${rest.slice(1)}`;
}
