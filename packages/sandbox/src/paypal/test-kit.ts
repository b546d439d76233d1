/** Shared fixtures for the PayPal simulator's own tests: a sandbox on a manual clock and a fake merchant. */
import { createSandbox, manualClock, type Sandbox } from '../index';
import type { PaypalSimulatorOptions } from './index';

export interface ReceivedCall {
  url: string;
  headers: Headers;
  body: Uint8Array;
  text: string;
  at: number;
}

export const BASE_URL = 'http://sandbox.test/sb';
export const WEBSCR = `${BASE_URL}/paypal/cgi-bin/webscr`;

export const BUY_NOW: Record<string, string> = {
  cmd: '_xclick',
  business: 'merchant@example.com',
  item_name: 'Blue mug',
  amount: '10.00',
  currency_code: 'EUR',
  invoice: 'INV-1',
  custom: 'pay_123',
  notify_url: 'https://shop.test/paybridge/notify/paypal',
  return: 'https://shop.test/paybridge/return/paypal/pay_123',
  cancel_return: 'https://shop.test/paybridge/return/paypal/pay_123?cancel=1',
  rm: '2',
  no_shipping: '1',
};

export const SUBSCRIBE: Record<string, string> = {
  cmd: '_xclick-subscriptions',
  business: 'merchant@example.com',
  item_name: 'Monthly box',
  currency_code: 'EUR',
  a3: '9.99',
  p3: '1',
  t3: 'M',
  src: '1',
  sra: '1',
  no_note: '1',
  invoice: 'SUB-1',
  custom: 'pay_sub',
  notify_url: 'https://shop.test/paybridge/notify/paypal',
  return: 'https://shop.test/paybridge/return/paypal/pay_sub',
  cancel_return: 'https://shop.test/cancel',
};

export function setup(paypal?: PaypalSimulatorOptions) {
  const received: ReceivedCall[] = [];
  let respond: (call: ReceivedCall) => Response | Promise<Response> = () => new Response('', { status: 200 });
  const clock = manualClock();
  const sandbox: Sandbox = createSandbox({
    baseUrl: BASE_URL,
    clock,
    ...(paypal ? { paypal } : {}),
    async fetch(request) {
      const body = new Uint8Array(await request.arrayBuffer());
      const call = {
        url: request.url,
        headers: request.headers,
        body,
        text: new TextDecoder('latin1').decode(body),
        at: clock.now(),
      };
      received.push(call);
      return respond(call);
    },
  });
  return {
    sandbox,
    received,
    respondWith(fn: typeof respond) {
      respond = fn;
    },
  };
}

export function formBody(vars: Record<string, string>): string {
  return new URLSearchParams(vars).toString();
}

/** Submit a button form as the buyer's browser does; returns the hosted page and its session id. */
export async function openCheckout(sandbox: Sandbox, vars: Record<string, string>) {
  const response = await sandbox.handler(
    new Request(WEBSCR, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody(vars),
    }),
  );
  return {
    response,
    sessionId: response.headers.get('x-sandbox-session') ?? '',
    html: await response.text(),
  };
}

/** POST a verification postback (raw bytes) and return the endpoint's answer. */
export async function postback(
  sandbox: Sandbox,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
) {
  const response = await sandbox.handler(
    new Request(WEBSCR, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'test', ...headers },
      body: body as BodyInit,
    }),
  );
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

export const concat = (...parts: Array<Uint8Array | string>): Uint8Array => {
  const chunks = parts.map((part) => (typeof part === 'string' ? new TextEncoder().encode(part) : part));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

/** Independent of the simulator's decoder: URLSearchParams on an ASCII body, values as UTF-16 of the escapes. */
export function fieldsOf(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}
