import { memoryStore, type PaymentStore, silentLogger } from '@paybridge/core';
import { expect } from 'vitest';
import { createDemo, type DemoOptions } from '../../src/app';
import { BUYER_COOKIE } from '../../src/buyer-session';

/** Helpers for the in-process tests: the demo driven through `app.request`, a test playing the browser. */
export const BASE = 'http://demo.test';

/** The browser these tests play: its buyer id (cookie), and the Origin its forms carry. */
export const TEST_BUYER = 'b0'.repeat(16);
export const BROWSER_HEADERS = { cookie: `${BUYER_COOKIE}=${TEST_BUYER}`, origin: BASE };

export function setupDemo(
  store: PaymentStore = memoryStore(),
  env: Record<string, string> = {},
  options: Partial<DemoOptions> = {},
) {
  const demo = createDemo({
    publicUrl: BASE,
    store,
    env: { PAYBRIDGE_SECRET: 'a-test-secret-of-at-least-32-characters!', ...env },
    deliveryIntervalMs: false,
    logger: silentLogger,
    admin: { open: true },
    ...options,
  });
  const { app } = demo;
  /** As the test browser; `headers` replace its own (an empty `cookie` or `origin` drops it). */
  const request = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(BROWSER_HEADERS);
    for (const [name, value] of new Headers(init.headers)) {
      if (value === '') headers.delete(name);
      else headers.set(name, value);
    }
    return app.request(path.startsWith('http') ? path : `${BASE}${path}`, { ...init, headers });
  };
  const postForm = (path: string, fields: Record<string, string>) =>
    request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  /** The signed button the shop page renders for a product. */
  async function buttonOf(productId: string) {
    const html = await (await request('/')).text();
    const card = html.split('<article').find((part) => part.includes(`data-product="${productId}"`));
    const attr = /data-pb-button="([^"]+)"/.exec(card ?? '')?.[1];
    if (!attr) throw new Error(`no button for ${productId}`);
    const json = attr.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
    return JSON.parse(json) as {
      token: string;
      config: { reference: string; options: Array<{ id: string }> };
    };
  }

  /** What the Vue button does on click: POST /start as JSON. */
  async function startButton(productId: string, backend: string, option?: string) {
    const button = await buttonOf(productId);
    const response = await request('/payments/start', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ backend, button: button.token, option: option ?? button.config.options[0]?.id }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      payment: { id: string };
      redirect:
        | { method: 'GET'; url: string }
        | { method: 'POST'; url: string; fields: Record<string, string> };
    };
    return { paymentId: body.payment.id, orderId: button.config.reference, redirect: body.redirect };
  }

  /** Open the broker's hosted page (in the sandbox mounted on the same app); returns its session id. */
  async function openHostedPage(
    redirect:
      | { method: 'GET'; url: string }
      | { method: 'POST'; url: string; fields: Record<string, string> },
  ) {
    const page =
      redirect.method === 'GET' ? await request(redirect.url) : await postForm(redirect.url, redirect.fields);
    expect(page.status).toBe(200);
    const session = page.headers.get('x-sandbox-session');
    if (!session) throw new Error(`no sandbox session: ${await page.text()}`);
    return { session, html: await page.text() };
  }

  /** Follow the browser's way back through the bridge's return route to the shop's order page. */
  async function comeBack(step: { method: string; url?: string; fields?: Record<string, string> }) {
    if (step.method === 'NONE' || !step.url) throw new Error('the broker did not send the buyer back');
    const back =
      step.method === 'POST' ? await postForm(step.url, step.fields ?? {}) : await request(step.url);
    expect(back.status).toBe(303);
    return back.headers.get('location') as string;
  }

  const payment = async (id: string) => {
    const found = await demo.bridge.getPayment(id);
    if (!found) throw new Error(`no payment ${id}`);
    return found;
  };

  return { ...demo, request, postForm, buttonOf, startButton, openHostedPage, comeBack, payment };
}
