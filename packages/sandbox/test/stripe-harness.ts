import { createSandbox, manualClock, type Sandbox, type StripeSimulatorOptions } from '../src/index';
import { STRIPE_SANDBOX_SECRET_KEY } from '../src/stripe/index';
import { stripeSignature } from '../src/stripe/signature';

export const WHSEC = 'whsec_harness_platform';
export const WHSEC_CONNECT = 'whsec_harness_connect';

export interface ReceivedWebhook {
  at: number;
  body: string;
  signature: string | null;
  event: { id: string; type: string; account?: string; data: { object: Record<string, unknown> } };
}

/** A sandbox on a manual clock whose webhooks land in `received`; `answer` decides the merchant's reply. */
export function stripeHarness(options: StripeSimulatorOptions = {}) {
  const received: ReceivedWebhook[] = [];
  let answer = 200;
  const sandbox: Sandbox = createSandbox({
    baseUrl: 'http://sandbox.test',
    clock: manualClock(Date.UTC(2026, 11, 1, 12, 0, 0)),
    fetch: async (request) => {
      const body = await request.text();
      received.push({
        at: sandbox.clock.now(),
        body,
        signature: request.headers.get('stripe-signature'),
        event: JSON.parse(body),
      });
      return new Response(answer === 200 ? 'ok' : 'no', { status: answer });
    },
    stripe: {
      webhooks: [
        { url: 'https://shop.test/notify/stripe', secret: WHSEC },
        { url: 'https://shop.test/notify/stripe-connect', secret: WHSEC_CONNECT, connect: true },
      ],
      ...options,
    },
  });

  /** A raw API call, form-encoded as the official client does it. */
  async function api(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body = '',
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const url = `http://sandbox.test${path}${method !== 'POST' && body ? `?${body}` : ''}`;
    const response = await sandbox.handler(
      new Request(url, {
        method,
        headers: {
          authorization: `Bearer ${STRIPE_SANDBOX_SECRET_KEY}`,
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        ...(method === 'POST' ? { body } : {}),
      }),
    );
    return { status: response.status, json: await response.json(), headers: response.headers };
  }

  const SESSION =
    'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1999' +
    '&line_items[0][price_data][product_data][name]=Mug&line_items[0][quantity]=1' +
    '&success_url=https%3A%2F%2Fshop.test%2Fok%3Fs%3D%7BCHECKOUT_SESSION_ID%7D&cancel_url=https%3A%2F%2Fshop.test%2Fback' +
    '&client_reference_id=order-1';

  async function session(extra = '', headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const created = await api('POST', '/v1/checkout/sessions', SESSION + extra, headers);
    if (created.status !== 200) throw new Error(`session not created: ${JSON.stringify(created.json)}`);
    return created.json;
  }

  const types = () => received.map((r) => r.event.type);

  /** True when the Stripe-Signature header is a valid v1 over the exact body with `secret`. */
  function signedBy(webhook: ReceivedWebhook, secret: string): boolean {
    const parts = (webhook.signature ?? '').split(',').map((p) => p.split('=') as [string, string]);
    const t = Number(parts.find(([k]) => k === 't')?.[1]);
    const expected = stripeSignature(secret, t, new TextEncoder().encode(webhook.body));
    return parts.some(([k, v]) => k === 'v1' && v === expected);
  }

  return {
    sandbox,
    received,
    api,
    session,
    types,
    signedBy,
    setAnswer(status: number) {
      answer = status;
    },
  };
}
