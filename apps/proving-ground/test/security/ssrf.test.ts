import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryStore } from '@paybridge/core';
import { createSandbox, manualClock } from '@paybridge/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { setupDemo } from '../../../demo/test/support/demo';

/**
 * Issue 14 item 7: server-side request forgery through the sandbox. The IPN `notify_url` of a PayPal
 * form is the attacker's to choose; a sandbox that posts wherever it says lets anyone who can reach
 * it make its host call internal services. Replayed over the network: a real listener stands for the
 * internal service, another for the shop the sandbox's owner allowed.
 */
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listener() {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.end('');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const SANDBOX = 'http://sandbox.test';
const form = (url: string, fields: Record<string, string>) =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SANDBOX },
    body: new URLSearchParams(fields).toString(),
  });

/** The attacker's own PayPal form, paid on the simulator's page as a buyer would. */
async function payWithNotifyUrl(sandbox: ReturnType<typeof createSandbox>, notifyUrl: string) {
  const page = await sandbox.handler(
    form(`${SANDBOX}/paypal/cgi-bin/webscr`, {
      cmd: '_xclick',
      business: 'merchant@example.com',
      item_name: 'x',
      amount: '1.00',
      currency_code: 'EUR',
      notify_url: notifyUrl,
    }),
  );
  const html = await page.text();
  const action = /action="([^"]+\/checkout\/[^"]+)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  await sandbox.handler(form(action as string, { action: 'pay' }));
  await sandbox.flush();
  return html;
}

describe('issue 14 item 7: the sandbox delivers only where its owner allows', () => {
  it('issue 14 item 7: a notify_url to an internal address is never called, and the page says so', async () => {
    const internal = await listener();
    const shop = await listener();
    const sandbox = createSandbox({
      baseUrl: SANDBOX,
      clock: manualClock(),
      deliveryAllowList: [`${shop.url}/shop`],
    });
    for (const target of [
      `${internal.url}/admin/flush`,
      `${shop.url}/shopping`,
      `${shop.url.replace('127.0.0.1', 'user:pw@127.0.0.1')}/shop/notify`,
      `${internal.url}/shop/notify`,
    ]) {
      const html = await payWithNotifyUrl(sandbox, target);
      expect(html).toContain('role="alert"');
      expect(html).toContain('delivery refused');
    }
    expect(internal.hits).toEqual([]);
    expect(shop.hits).toEqual([]);
    // The control: the allowed prefix is delivered.
    await payWithNotifyUrl(sandbox, `${shop.url}/shop/notify/paypal`);
    expect(shop.hits).toEqual(['/shop/notify/paypal']);
  });

  it('issue 14 item 7: a sandbox on the global fetch with no allow-list delivers nowhere', async () => {
    const internal = await listener();
    const sandbox = createSandbox({ baseUrl: SANDBOX, clock: manualClock() });
    const html = await payWithNotifyUrl(sandbox, `${internal.url}/`);
    expect(html).toContain('delivery refused');
    expect(internal.hits).toEqual([]);
  });
});

describe('issue 14 item 7: the demo (users copy it) delivers only to its own bridge', () => {
  it('issue 14 item 7: an attacker’s PayPal form on the demo cannot make its server call an internal address', async () => {
    const internal = await listener();
    const demo = setupDemo(memoryStore());
    const fields = {
      cmd: '_xclick',
      business: 'merchant@example.com',
      item_name: 'x',
      amount: '1.00',
      currency_code: 'EUR',
      notify_url: `${internal.url}/steal`,
    };
    const page = await demo.postForm('/sandbox/paypal/cgi-bin/webscr', fields);
    const html = await page.text();
    expect(html).toContain('delivery refused');
    const action = /action="([^"]+\/checkout\/[^"]+)"/.exec(html)?.[1] as string;
    await demo.postForm(action, { action: 'pay' });
    await demo.sandbox.flush();
    expect(internal.hits).toEqual([]);
    expect(demo.sandbox.queue.deliveries.map((d) => d.state)).toEqual(['refused']);
  });
});
