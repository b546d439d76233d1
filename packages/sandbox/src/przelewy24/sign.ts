import { sha384 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The fields each signed Przelewy24 message covers, in the order they are serialised (reference §2).
 * The CRC key is appended as the last member `crc`.
 */
export const SIGNED_FIELDS = {
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

export type SignedMessage = keyof typeof SIGNED_FIELDS;

/**
 * lowercase hex SHA-384 of the compact JSON of the listed fields plus `crc`: slashes and non-ASCII
 * left unescaped, integers as numbers (reference §2). JSON.stringify of an object built in order writes
 * exactly that; a field of the wrong type (a quoted merchantId) therefore yields another sign.
 */
export function p24Sign(message: SignedMessage, values: Record<string, unknown>, crc: string): string {
  const ordered: Record<string, unknown> = {};
  for (const field of SIGNED_FIELDS[message]) ordered[field] = values[field];
  ordered.crc = crc;
  return bytesToHex(sha384(utf8ToBytes(JSON.stringify(ordered))));
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = utf8ToBytes(a);
  const right = utf8ToBytes(b);
  let diff = left.length ^ right.length;
  for (let i = 0; i < Math.max(left.length, right.length); i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}
