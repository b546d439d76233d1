import type { InboundMessage, NotificationContext, OutboundMeta, Payment } from '@paybridge/core';
import { makePayment } from '@paybridge/core/testing';
import { decoderFor } from '../../src/lib/form-encoding';

/**
 * Test support: builds IPN bodies the way PayPal encodes them (form-urlencoded, `+` for space,
 * `:`, `,` and `@` escaped, non-ASCII as windows-1252 or UTF-8 bytes). Not exported by the package.
 */

const windows1252 = (() => {
  const decoder = decoderFor('windows-1252');
  const map = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) map.set(decoder.decode(new Uint8Array([byte])), byte);
  return map;
})();

function charsetBytes(text: string, charset: string): number[] {
  if (/^utf-?8$/i.test(charset)) return [...new TextEncoder().encode(text)];
  return [...text].map((char) => {
    const byte = windows1252.get(char);
    if (byte === undefined) throw new Error(`"${char}" has no windows-1252 byte`);
    return byte;
  });
}

function formEscape(text: string, charset: string): string {
  return charsetBytes(text, charset)
    .map((byte) => {
      if (byte === 0x20) return '+';
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9._*-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Encode ordered pairs into IPN body bytes, in the charset the pairs' own `charset` field names. */
export function encodeIpn(pairs: ReadonlyArray<readonly [string, string]>): Uint8Array {
  const charset = pairs.find(([key]) => key === 'charset')?.[1] ?? 'windows-1252';
  const text = pairs
    .map(([key, value]) => `${formEscape(key, charset)}=${formEscape(value, charset)}`)
    .join('&');
  return new TextEncoder().encode(text);
}

/** A payment as the core would hand it to the backend. */
export function testPayment(overrides: Partial<Payment> = {}): Payment {
  const now = '2026-11-20T10:00:00.000Z';
  return makePayment({
    id: 'pay_0123456789abcdef',
    orderId: 'order-42',
    backend: 'paypal',
    description: 'Blue teapot',
    buyer: {},
    order: {},
    successUrl: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: null,
    ...overrides,
  });
}

export interface RecordedCall {
  url: string;
  init: RequestInit;
  meta: OutboundMeta;
  body: Uint8Array;
}

/** A NotificationContext over a fixed set of payments, whose fetch answers with `respond`. */
export function testContext(
  payments: Payment[],
  respond: (call: RecordedCall) => Promise<Response> | Response = () => new Response('VERIFIED'),
  overrides: Partial<NotificationContext> = {},
): NotificationContext & { calls: RecordedCall[]; logs: string[] } {
  const calls: RecordedCall[] = [];
  const logs: string[] = [];
  const log = (message: string) => {
    logs.push(message);
  };
  return {
    calls,
    logs,
    testMode: true,
    endpoint: 'https://www.sandbox.paypal.com',
    baseUrl: 'https://shop.example/pay',
    notifyUrl: 'https://shop.example/pay/notify/paypal',
    returnUrl: (paymentId, params) => {
      const url = new URL(`https://shop.example/pay/return/paypal/${paymentId}`);
      for (const [key, value] of Object.entries(params ?? {})) url.searchParams.set(key, value);
      return url.toString();
    },
    clientIp: null,
    now: () => new Date('2026-11-20T10:00:00Z'),
    logger: { debug: log, info: log, warn: log, error: log },
    async fetch(url, init, meta) {
      const body = new Uint8Array(await new Response(init.body ?? null).arrayBuffer());
      const call = { url, init, meta, body };
      calls.push(call);
      return respond(call);
    },
    getPayment: async (id) => payments.find((p) => p.id === id) ?? null,
    findPaymentByExternalId: async (externalId) => payments.find((p) => p.externalId === externalId) ?? null,
    ...overrides,
  };
}

/** The inbound POST PayPal makes to notify_url. */
export function ipnRequest(body: Uint8Array, overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    method: 'POST',
    url: 'https://shop.example/pay/notify/paypal',
    headers: new Headers({
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'PayPal IPN ( https://www.paypal.com/ipn )',
    }),
    body,
    clientIp: '173.0.82.126',
    receivedAt: new Date('2026-11-20T10:00:00Z'),
    ...overrides,
  };
}

/** A Buy Now IPN for `testPayment()`, as observed in sandbox dumps (protocols/paypal.md §8, §9). */
export function webAcceptIpn(overrides: Record<string, string | null> = {}): Array<[string, string]> {
  const base: Array<[string, string]> = [
    ['mc_gross', '19.99'],
    ['invoice', 'pay_0123456789abcdef'],
    ['protection_eligibility', 'Eligible'],
    ['payer_id', 'LPLWNMTBWMFAY'],
    ['payment_date', '20:12:59 Nov 20, 2026 PST'],
    ['payment_status', 'Completed'],
    ['charset', 'windows-1252'],
    ['first_name', 'Zoë'],
    ['mc_fee', '0.88'],
    ['notify_version', '3.9'],
    ['custom', 'pay_0123456789abcdef'],
    ['payer_status', 'verified'],
    ['business', 'merchant@example.com'],
    ['quantity', '1'],
    ['verify_sign', 'AtkOfCXbDm2hu0ZELryHFjY-Vb7PAUvS6nMXgysbElEn9v-1XcmSoGtf'],
    ['payer_email', 'zoe+shop@example.net'],
    ['txn_id', '61E67681CH3238416'],
    ['payment_type', 'instant'],
    ['last_name', 'Ærøskøbing'],
    ['receiver_email', 'merchant@example.com'],
    ['payment_fee', ''],
    ['receiver_id', 'MERCHANT12345'],
    ['txn_type', 'web_accept'],
    ['item_name', 'Blue teapot'],
    ['mc_currency', 'EUR'],
    ['item_number', 'order-42'],
    ['residence_country', 'FR'],
    ['test_ipn', '1'],
    ['transaction_subject', 'pay_0123456789abcdef'],
    ['payment_gross', ''],
    ['ipn_track_id', 'b3c4d5e6f7a81'],
  ];
  const out = base
    .filter(([key]) => overrides[key] !== null)
    .map(([key, value]): [string, string] => [key, overrides[key] ?? value]);
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== null && !base.some(([k]) => k === key)) out.push([key, value]);
  }
  return out;
}
