import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandbox, manualClock } from '../src/index';
import { deliveryPolicy } from '../src/lib/delivery-policy';
import { BASE, BUY_NOW, setup } from './support';

const INTERNAL = 'http://127.0.0.1:6379/';

/** Opens the PayPal checkout for `fields` and pays it through the page's form. */
async function payPaypal(sandbox: ReturnType<typeof createSandbox>, fields: Record<string, string>) {
  const post = (url: string, body: Record<string, string>) =>
    sandbox.handler(
      new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      }),
    );
  const page = await post(`${BASE}/paypal/cgi-bin/webscr`, fields);
  const html = await page.text();
  const action = /action="([^"]+\/checkout\/[^"]+)"/.exec(html)?.[1] as string;
  await post(action, { action: 'pay' });
  return html;
}

describe('issue 14 item 7: the sandbox delivers server-to-server calls only where its owner allows', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('issue 14 item 7: with the global fetch and no allow-list, a notify_url to an internal address is never called', async () => {
    const network = vi.fn(async () => new Response('VERIFIED'));
    vi.stubGlobal('fetch', network);
    const sandbox = createSandbox({ baseUrl: BASE, clock: manualClock(), controlRoutes: true });
    const html = await payPaypal(sandbox, { ...BUY_NOW, notify_url: INTERNAL });
    expect(html).toContain('role="alert"');
    expect(html).toContain('No IPN will be sent for this payment: delivery refused: http://127.0.0.1:6379/');
    await sandbox.flush();
    expect(network).not.toHaveBeenCalled();
    const [delivery] = sandbox.queue.deliveries;
    expect(delivery).toMatchObject({ state: 'refused', attempts: [] });
    expect(delivery?.refusal).toContain('--allow-delivery');
    const listed = await sandbox.handler(new Request(`${BASE}/_control/deliveries`));
    expect(((await listed.json()) as { deliveries: unknown[] }).deliveries[0]).toMatchObject({
      state: 'refused',
      url: INTERNAL,
    });
  });

  it('issue 14 item 7: an allowed prefix is delivered (without following redirects), anything else refused', async () => {
    const requests: Request[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (request: Request) => {
        requests.push(request);
        return new Response('', { status: 200 });
      }),
    );
    const sandbox = createSandbox({
      baseUrl: BASE,
      clock: manualClock(),
      deliveryAllowList: ['https://shop.test/payments'],
    });
    await payPaypal(sandbox, { ...BUY_NOW, notify_url: 'https://shop.test/payments/notify/paypal' });
    const refusedPage = await payPaypal(sandbox, { ...BUY_NOW, notify_url: INTERNAL });
    expect(refusedPage).toContain('is not in this sandbox&#39;s delivery allow-list');
    await sandbox.flush();
    expect(requests.map((request) => request.url)).toEqual(['https://shop.test/payments/notify/paypal']);
    expect(requests[0]?.redirect).toBe('manual');
    expect(sandbox.queue.deliveries.map((delivery) => delivery.state)).toEqual(['delivered', 'refused']);
  });

  it('issue 14 item 7: PayU notifyUrl outside the list is refused and shown on the hosted page', async () => {
    const { sandbox, payuToken, payuOrder } = setup({ deliveryAllowList: ['https://shop.test'] });
    const token = await payuToken();
    const { orderId, redirectUri } = await payuOrder(token, {
      notifyUrl: 'http://169.254.169.254/latest/meta-data',
    });
    const page = await (await sandbox.handler(new Request(redirectUri))).text();
    expect(page).toContain(
      'No notification will be sent for this order: delivery refused: http://169.254.169.254/',
    );
    await sandbox.payu.act(orderId, 'pay');
    await sandbox.flush();
    expect(sandbox.payu.deliveries().every((delivery) => delivery.state === 'refused')).toBe(true);
  });

  it("issue 14 item 7: a CM-CIC terminal's return URL is the owner's configuration and stays allowed", async () => {
    const policy = deliveryPolicy([]);
    expect(policy.refusal('https://shop.test/cgi2')).toContain('delivers to no URL yet');
    const sandbox = createSandbox({ baseUrl: BASE, clock: manualClock(), deliveryAllowList: [] });
    const delivery = sandbox.queue.schedule(
      'cmcic',
      { url: 'https://shop.test/cgi2', method: 'POST', headers: {}, body: new Uint8Array() },
      { label: 'retour', retryDelays: [], accept: () => true, ownerConfigured: true },
    );
    expect(delivery.state).toBe('scheduled');
  });

  it('issue 14 item 7: prefixes match scheme, host, port and whole path segments', () => {
    const policy = deliveryPolicy(['http://localhost:3000/shop', 'https://pay.example.com']);
    expect(policy.allowList).toEqual(['http://localhost:3000/shop', 'https://pay.example.com/']);
    expect(policy.refusal('http://localhost:3000/shop/notify')).toBeNull();
    expect(policy.refusal('http://localhost:3000/shop')).toBeNull();
    expect(policy.refusal('http://LOCALHOST:3000/shop/x')).toBeNull();
    expect(policy.refusal('https://pay.example.com:443/any/path')).toBeNull();
    for (const refused of [
      'http://localhost:3000/shopping',
      'http://localhost:3000/shop/../admin',
      'http://localhost:3000/shop/%2e%2e/admin',
      'http://localhost:3001/shop/notify',
      'https://localhost:3000/shop/notify',
      'http://localhost:3000@127.0.0.1/shop',
      'http://pay.example.com/',
      'https://pay.example.com.evil.test/',
      'https://user:pw@pay.example.com/',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(policy.refusal(refused), refused).not.toBeNull();
    }
    expect(() => deliveryPolicy(['localhost:3000'])).toThrow(/http:\/\/ or https:\/\//);
    expect(() => deliveryPolicy(['/relative'])).toThrow(/not an absolute URL/);
    expect(() => deliveryPolicy(['http://shop.test/?q=1'])).toThrow(/query/);
    expect(() => createSandbox({ baseUrl: BASE, deliveryAllowList: ['ftp://x'] })).toThrow(
      /deliveryAllowList/,
    );
  });

  it('issue 14 item 7: with an in-process fetch and no list, every call is handed to that fetch (tests)', async () => {
    const { sandbox, received } = setup();
    await payPaypal(sandbox, { ...BUY_NOW, notify_url: 'https://anywhere.test/ipn' });
    await sandbox.flush();
    expect(sandbox.deliveryAllowList).toBeNull();
    expect(received.map((call) => call.url)).toEqual(['https://anywhere.test/ipn']);
  });
});
