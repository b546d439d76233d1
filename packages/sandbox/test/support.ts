/** Shared by the sandbox's HTTP-level tests: a sandbox, a recording merchant, and HTTP helpers. */
import { createSandbox, manualClock, type Sandbox, type SandboxOptions } from '../src/index';

export const BASE = 'http://sandbox.test/sb';
export const SHOP = 'https://shop.test';

export const PAYU_POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
};

export const BUY_NOW: Record<string, string> = {
  cmd: '_xclick',
  business: 'merchant@example.com',
  item_name: 'Blue mug',
  amount: '10.00',
  currency_code: 'EUR',
  custom: 'pay_123',
  notify_url: `${SHOP}/notify/paypal`,
  return: `${SHOP}/return/paypal`,
  rm: '2',
};

/** The form action of a PayPal checkout page, below BASE. */
export function checkoutPath(html: string): string {
  const action = /action="([^"]+\/checkout\/[^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no checkout form on the page');
  return action.slice(BASE.length);
}

export interface Received {
  url: string;
  body: string;
}

export function setup(options: Partial<SandboxOptions> = {}) {
  const received: Received[] = [];
  const sandbox: Sandbox = createSandbox({
    baseUrl: BASE,
    clock: manualClock(),
    controlRoutes: true,
    async fetch(request) {
      received.push({ url: request.url, body: await request.text() });
      return new Response('', { status: 200 });
    },
    ...options,
  });
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    sandbox.handler(
      new Request(`${BASE}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
      }),
    );
  const control = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await sandbox.handler(
      new Request(`${BASE}/_control${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field in the tests
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };
  async function payuToken(): Promise<string> {
    const response = await form('/payu/pl/standard/user/oauth/authorize', {
      grant_type: 'client_credentials',
      client_id: PAYU_POS.clientId,
      client_secret: PAYU_POS.clientSecret,
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }
  const payuApi = (path: string, token: string, init: RequestInit = {}) =>
    sandbox.handler(
      new Request(`${BASE}/payu/api/v2_1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      }),
    );
  async function payuOrder(token: string, overrides: Record<string, unknown> = {}) {
    const response = await payuApi('/orders', token, {
      method: 'POST',
      body: JSON.stringify({
        notifyUrl: `${SHOP}/notify/payu`,
        continueUrl: `${SHOP}/thanks`,
        customerIp: '127.0.0.1',
        merchantPosId: PAYU_POS.posId,
        description: 'Order 42',
        currencyCode: 'PLN',
        totalAmount: '21000',
        extOrderId: `ord-${crypto.randomUUID()}`,
        products: [{ name: 'Mouse', unitPrice: '21000', quantity: '1' }],
        ...overrides,
      }),
    });
    return (await response.json()) as { orderId: string; redirectUri: string };
  }
  return { sandbox, received, form, control, payuToken, payuApi, payuOrder };
}
