/** Shared by the Flutterwave simulator's tests: a sandbox whose webhooks land in a recording merchant. */
import {
  createSandbox,
  FLUTTERWAVE_SANDBOX_SECRET_KEY,
  type FlutterwaveSimulatorOptions,
  manualClock,
} from '../src/index';

export const BASE = 'http://sandbox.test/sb';
export const API = `${BASE}/flutterwave/v3`;
export const SHOP = 'https://shop.test';

export interface Received {
  headers: Headers;
  body: string;
}

export function setupFlutterwave(options: FlutterwaveSimulatorOptions = {}, answer = 200) {
  const received: Received[] = [];
  const status = { answer };
  const sandbox = createSandbox({
    baseUrl: BASE,
    clock: manualClock(Date.UTC(2027, 0, 15, 12)),
    fetch: async (request) => {
      received.push({ headers: request.headers, body: await request.text() });
      return new Response(null, { status: status.answer });
    },
    flutterwave: { webhookUrl: `${SHOP}/notify/flutterwave`, ...options },
  });
  const api = (path: string, init: RequestInit = {}, key = FLUTTERWAVE_SANDBOX_SECRET_KEY) =>
    sandbox.handler(
      new Request(`${API}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
      }),
    );
  const createPayment = async (fields: Record<string, unknown> = {}) => {
    const response = await api('/payments', {
      method: 'POST',
      body: JSON.stringify({
        tx_ref: 'pb-ord-1001',
        amount: 100.5,
        currency: 'NGN',
        redirect_url: `${SHOP}/return`,
        customer: { email: 'ada@example.com' },
        ...fields,
      }),
    });
    const json = (await response.json()) as {
      status: string;
      message: string;
      data: { link: string } | null;
    };
    return { response, json, linkId: json.data?.link.split('/').at(-1) ?? '' };
  };
  return { sandbox, received, status, api, createPayment };
}
