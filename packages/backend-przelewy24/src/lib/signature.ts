import { digest, timingSafeEqualText, toHex, utf8 } from '@paybridge/core/kit';

/**
 * The fields of each signed P24 message, in the order they are serialised (reference §2). Four lists,
 * never interchangeable: verify puts `orderId` where register puts `merchantId`.
 */
export const SIGN_FIELDS = {
  register: ['sessionId', 'merchantId', 'amount', 'currency'],
  verify: ['sessionId', 'orderId', 'amount', 'currency'],
  notification: [
    'merchantId',
    'posId',
    'sessionId',
    'amount',
    'originAmount',
    'currency',
    'orderId',
    'methodId',
    'statement',
  ],
  refundNotification: ['orderId', 'sessionId', 'refundsUuid', 'merchantId', 'amount', 'currency', 'status'],
} as const;

export type SignedMessage = keyof typeof SIGN_FIELDS;
export type SignValues<M extends SignedMessage> = Record<(typeof SIGN_FIELDS)[M][number], string | number>;

/**
 * The exact string P24 hashes: a compact JSON object of the message's fields in order, then `crc`.
 * JSON.stringify writes `/` and non-ASCII unescaped, as P24's PHP does with JSON_UNESCAPED_SLASHES |
 * JSON_UNESCAPED_UNICODE. Integers must be numbers: a quoted merchantId gives other bytes, so a
 * non-integer is refused here rather than signed (and never a float such as 12.0).
 */
export function signString<M extends SignedMessage>(message: M, values: SignValues<M>, crc: string): string {
  const ordered: Record<string, string | number> = {};
  for (const field of SIGN_FIELDS[message]) {
    const value = (values as Record<string, string | number>)[field];
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new TypeError(`Przelewy24 sign: ${field} must be an integer, got ${value}`);
    }
    if (typeof value !== 'number' && typeof value !== 'string') {
      throw new TypeError(`Przelewy24 sign: ${field} is missing`);
    }
    ordered[field] = value;
  }
  ordered.crc = crc;
  return JSON.stringify(ordered);
}

/** lowercase hex SHA-384 of the sign string (a plain hash, not an HMAC). */
export async function p24Sign<M extends SignedMessage>(
  message: M,
  values: SignValues<M>,
  crc: string,
): Promise<string> {
  return toHex(await digest('SHA-384', utf8(signString(message, values, crc))));
}

/** Recompute and compare in constant time; `received` is compared lower-cased (hex). */
export async function signMatches<M extends SignedMessage>(
  message: M,
  values: SignValues<M>,
  crc: string,
  received: string,
): Promise<boolean> {
  const expected = await p24Sign(message, values, crc);
  return timingSafeEqualText(received.toLowerCase(), expected);
}

/**
 * U+2028/U+2029 are written raw by JavaScript but escaped by PHP's JSON_UNESCAPED_UNICODE; which form
 * P24 hashes is UNCONFIRMED (reference §2), so text containing them is never signed.
 */
export const hasLineSeparators = (text: string) => /[\u2028\u2029]/.test(text);
