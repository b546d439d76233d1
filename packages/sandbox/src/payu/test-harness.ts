import { createSandbox, manualClock } from '../index';
import type { PayuSimulatorOptions } from './index';

/** Test fixture shared by the PayU simulator's tests: a sandbox on a manual clock and a recording merchant. */
export const POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
};
export const BGN_POS = {
  posId: '404815',
  clientId: '404815',
  clientSecret: '89e263df5657cccfe7d1d2a0f50b6e41',
  secondKey: '87f410056e1ec5ff64f6bea777a0e694',
};

export const BASE = 'http://sandbox.test/sb';

export interface ReceivedNotification {
  url: string;
  headers: Headers;
  raw: Uint8Array;
  json: Record<string, unknown>;
}

export function orderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    notifyUrl: 'https://shop.test/payu/notify',
    continueUrl: 'https://shop.test/thanks?o=42',
    customerIp: '127.0.0.1',
    merchantPosId: '300746',
    description: 'Order 42',
    currencyCode: 'PLN',
    totalAmount: '21000',
    extOrderId: `ord-42-${crypto.randomUUID()}`,
    buyer: { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe', language: 'pl' },
    products: [
      { name: 'Wireless Mouse', unitPrice: '15000', quantity: '1' },
      { name: 'HDMI cable', unitPrice: 6000, quantity: 1 },
    ],
    ...overrides,
  };
}

export function setup(options: PayuSimulatorOptions = {}) {
  const received: ReceivedNotification[] = [];
  /** How the merchant answers: `status`, after `hangMs` of real time when set (to outlast PayU's timeout). */
  const merchant: { status: number; hangMs?: number } = { status: 200 };
  const sandbox = createSandbox({
    baseUrl: BASE,
    clock: manualClock(),
    payu: options,
    async fetch(request) {
      const raw = new Uint8Array(await request.arrayBuffer());
      received.push({
        url: request.url,
        headers: request.headers,
        raw,
        json: JSON.parse(new TextDecoder().decode(raw)),
      });
      if (merchant.hangMs) await new Promise((resolve) => setTimeout(resolve, merchant.hangMs));
      return new Response('', { status: merchant.status });
    },
  });

  const call = (path: string, init: RequestInit = {}) =>
    sandbox.handler(new Request(`${BASE}/payu${path}`, init));

  async function token(pos: { clientId: string; clientSecret: string } = POS): Promise<string> {
    const response = await call('/pl/standard/user/oauth/authorize', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: pos.clientId,
        client_secret: pos.clientSecret,
      }),
    });
    const json = (await response.json()) as { access_token: string };
    return json.access_token;
  }

  const api = (path: string, bearer: string, init: RequestInit = {}) =>
    call(`/api/v2_1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...init.headers },
    });

  async function createOrder(bearer: string, overrides: Record<string, unknown> = {}) {
    const response = await api('/orders', bearer, {
      method: 'POST',
      body: JSON.stringify(orderBody(overrides)),
    });
    const json = (await response.json()) as Record<string, unknown> & {
      orderId: string;
      redirectUri: string;
    };
    return { response, json, orderId: json.orderId };
  }

  /** An order the buyer paid with `action`, notifications delivered. */
  async function actedOrder(bearer: string, action: 'pay' | 'pay_wfc' | 'decline', overrides = {}) {
    const { orderId } = await createOrder(bearer, overrides);
    await sandbox.payu.act(orderId, action);
    await sandbox.flush();
    return orderId;
  }

  return { sandbox, merchant, received, call, api, token, createOrder, actedOrder };
}
