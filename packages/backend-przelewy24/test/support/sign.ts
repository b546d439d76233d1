import { createHash } from 'node:crypto';

/**
 * P24's sign written independently of the backend (node:crypto, field lists typed out from the
 * reference §2), so the tests do not check the backend against itself.
 */
const FIELDS = {
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

export function sign(message: keyof typeof FIELDS, values: Record<string, unknown>, crc: string): string {
  const parts = FIELDS[message].map((field) => `${JSON.stringify(field)}:${JSON.stringify(values[field])}`);
  const text = `{${parts.join(',')},"crc":${JSON.stringify(crc)}}`;
  return createHash('sha384').update(text, 'utf8').digest('hex');
}

export function signedRequest(
  url: string,
  message: keyof typeof FIELDS,
  values: Record<string, unknown>,
  crc: string,
): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...values, sign: sign(message, values, crc) }),
  });
}
