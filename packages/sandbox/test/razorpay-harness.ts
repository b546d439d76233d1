import { createHmac } from 'node:crypto';
import {
  createSandbox,
  manualClock,
  RAZORPAY_SANDBOX_KEY_ID,
  RAZORPAY_SANDBOX_KEY_SECRET,
  type RazorpaySimulatorOptions,
  type Sandbox,
} from '../src/index';

export const HOOK_SECRET = 'harness-webhook-secret';
export const HOOK_URL = 'https://shop.test/notify/razorpay';
export const hex = (secret: string, data: string | Uint8Array) =>
  createHmac('sha256', secret).update(data).digest('hex');

export interface ReceivedWebhook {
  body: string;
  signature: string | null;
  eventId: string | null;
  event: { event: string; payload: Record<string, { entity: Record<string, unknown> }> };
}

/** A sandbox on a manual clock whose Razorpay webhooks land in `received`; `answer` is the shop's reply. */
export function razorpayHarness(options: Omit<RazorpaySimulatorOptions, 'webhooks'> = {}) {
  const received: ReceivedWebhook[] = [];
  /** `answer` is the shop's reply; `refuse` picks webhooks answered 500 whatever `answer` says. */
  const shop: { answer: number; refuse?: (webhook: ReceivedWebhook) => boolean } = { answer: 200 };
  const sandbox: Sandbox = createSandbox({
    baseUrl: 'http://sandbox.test',
    clock: manualClock(Date.UTC(2026, 11, 1, 12, 0, 0)),
    fetch: async (request) => {
      const body = await request.text();
      const webhook: ReceivedWebhook = {
        body,
        signature: request.headers.get('x-razorpay-signature'),
        eventId: request.headers.get('x-razorpay-event-id'),
        event: JSON.parse(body),
      };
      received.push(webhook);
      return new Response('', { status: shop.refuse?.(webhook) ? 500 : shop.answer });
    },
    razorpay: { ...options, webhooks: [{ url: HOOK_URL, secret: HOOK_SECRET }] },
  });
  const basic = `Basic ${btoa(`${RAZORPAY_SANDBOX_KEY_ID}:${RAZORPAY_SANDBOX_KEY_SECRET}`)}`;

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await sandbox.handler(
      new Request(`http://sandbox.test/razorpay${path}`, {
        method,
        headers: { authorization: basic, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
    return {
      status: response.status,
      json: (await response.json()) as Record<string, unknown> & { error?: { description: string } },
    };
  }

  async function link(fields: Record<string, unknown> = {}) {
    const created = await api('POST', '/v1/payment_links', {
      amount: 49_900,
      currency: 'INR',
      reference_id: `ref-${Math.random().toString(36).slice(2, 10)}`,
      callback_url: 'https://shop.test/return/razorpay/pay_1',
      callback_method: 'get',
      notes: { paybridge_payment_id: 'pay_1' },
      expire_by: Math.floor(sandbox.clock.now() / 1000) + 3600,
      ...fields,
    });
    return created.json as { id: string; short_url: string; reference_id: string; status: string };
  }

  return { sandbox, received, shop, api, link };
}
