import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL } from '../src/brokers';
import { BASE, setupDemo } from './support/demo';

/** A server on another local port (an internal service an attacker would aim at), recording every call. */
async function bystander() {
  const calls: Array<{ method: string; url: string }> = [];
  const server = createServer((request: IncomingMessage, response) => {
    calls.push({ method: request.method ?? '', url: request.url ?? '' });
    request.resume();
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { calls, origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Anyone's own PayPal form, posted to the demo's PayPal simulator, paid on its page. */
async function payOwnForm(t: ReturnType<typeof setupDemo>, notifyUrl: string, onPaid = () => {}) {
  const page = await t.postForm('/sandbox/paypal/cgi-bin/webscr', {
    cmd: '_xclick',
    business: LOCAL.paypal.business,
    item_name: 'anything',
    amount: '1.00',
    currency_code: 'EUR',
    invoice: 'attacker-invoice',
    notify_url: notifyUrl,
  });
  const session = page.headers.get('x-sandbox-session');
  if (!session) throw new Error(`no sandbox session: ${page.status} ${await page.text()}`);
  await t.sandbox.paypal.act(session, 'pay');
  onPaid();
  await t.sandbox.flush();
  return session;
}

describe('issue 14 item 7: the sandbox delivers only to the demo itself', () => {
  it('issue 14 item 7: a PayPal form with notify_url=http://127.0.0.1:<other port> is not delivered', async () => {
    const target = await bystander();
    closers.push(target.close);
    const t = setupDemo();
    await payOwnForm(t, `${target.origin}/internal/admin?delete=everything`);
    // Give a stray call time to arrive before concluding none was made.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(target.calls).toEqual([]);
    expect(t.sandbox.deliveryAllowList).toEqual([`${BASE}/payments`]);
    // The sandbox says why (its simulator page shows the same reason).
    const refused = t.sandbox.queue.deliveries.find((d) => d.call.url.startsWith(target.origin));
    expect(refused).toMatchObject({ state: 'refused', attempts: [] });
    expect(refused?.refusal).toContain('allow-list');
  });

  it('issue 14 item 7: nor to another path of the demo than its bridge, which still gets its IPNs', async () => {
    const t = setupDemo();
    // The sandbox reaches this server in process, through the app's own fetch: watch what it is asked.
    let reached: string[] | null = null;
    const fetch = t.app.fetch;
    t.app.fetch = (request: Request, ...rest) => {
      reached?.push(new URL(request.url).pathname);
      return fetch(request, ...rest);
    };
    const watch = () => {
      reached = [];
    };
    await payOwnForm(t, `${BASE}/admin/sandbox/flush`, watch);
    expect(reached).toEqual([]);
    await payOwnForm(t, `${BASE}/payments/notify/paypal`, watch);
    expect(reached).toEqual(['/payments/notify/paypal']);
  });
});
