import { describe, expect, it } from 'vitest';
import { SESSION_HEADER } from '../../src/lib/simulator';
import { setup } from '../../src/payu/test-harness';

const statuses = (t: ReturnType<typeof setup>) =>
  t.received.map((n) => (n.json.order as { status: string }).status);

describe('PayU sandbox hosted page', () => {
  it('serves the redirectUri with the session header and real forms for each action', async () => {
    const t = setup();
    const { json, orderId } = await t.createOrder(await t.token(), { description: '<b>Mouse & cable</b>' });
    const response = await t.sandbox.handler(new Request(json.redirectUri));
    expect(response.status).toBe(200);
    expect(response.headers.get(SESSION_HEADER)).toBe(orderId);
    const html = await response.text();
    expect(html).toContain('210.00 PLN');
    expect(html).toContain('&#60;b&#62;Mouse &#38; cable&#60;/b&#62;');
    for (const action of ['pay', 'pay_wfc', 'decline']) {
      expect(html).toContain(`name="action" value="${action}"`);
    }
    expect(html).toContain('method="post"');
  });

  it('refuses a wrong page token', async () => {
    const t = setup();
    const { json } = await t.createOrder(await t.token());
    const url = new URL(json.redirectUri);
    url.searchParams.set('token', 'x'.repeat(40));
    expect((await t.sandbox.handler(new Request(url))).status).toBe(404);
  });

  it('pays from the HTML form: 303 to continueUrl, PENDING then COMPLETED notified', async () => {
    const t = setup();
    const { json, orderId } = await t.createOrder(await t.token());
    const response = await t.sandbox.handler(
      new Request(json.redirectUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action=pay',
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://shop.test/thanks?o=42');
    expect(response.headers.get(SESSION_HEADER)).toBe(orderId);
    expect(await t.sandbox.flush()).toBe(2);
    expect(statuses(t)).toEqual(['PENDING', 'COMPLETED']);
    const again = await t.sandbox.handler(
      new Request(json.redirectUri, { method: 'POST', body: 'action=pay' }),
    );
    expect(again.status).toBe(409);
  });

  it('act("pay") completes the order and returns GET continueUrl', async () => {
    const t = setup();
    const { orderId } = await t.createOrder(await t.token());
    const step = await t.sandbox.payu.act(orderId, 'pay');
    expect(step).toEqual({ method: 'GET', url: 'https://shop.test/thanks?o=42' });
    expect(t.sandbox.payu.orders()[0]?.status).toBe('COMPLETED');
    expect(t.received).toHaveLength(0); // only delivered on flush
    await t.sandbox.flush();
    expect(statuses(t)).toEqual(['PENDING', 'COMPLETED']);
  });

  it('act("pay_wfc") leaves the order WAITING_FOR_CONFIRMATION', async () => {
    const t = setup();
    const { orderId } = await t.createOrder(await t.token());
    expect(await t.sandbox.payu.act(orderId, 'pay_wfc')).toEqual({
      method: 'GET',
      url: 'https://shop.test/thanks?o=42',
    });
    await t.sandbox.flush();
    expect(statuses(t)).toEqual(['PENDING', 'WAITING_FOR_CONFIRMATION']);
  });

  it('act("decline") cancels and appends error=501 to continueUrl', async () => {
    const t = setup();
    const { orderId } = await t.createOrder(await t.token());
    const step = await t.sandbox.payu.act(orderId, 'decline');
    expect(step).toEqual({ method: 'GET', url: 'https://shop.test/thanks?o=42&error=501' });
    await t.sandbox.flush();
    expect(statuses(t)).toEqual(['PENDING', 'CANCELED']);
    expect(t.received[1]?.json.localReceiptDateTime).toBeUndefined();
  });

  it('keeps the buyer on a PayU page when the order had no continueUrl', async () => {
    const t = setup();
    const { orderId } = await t.createOrder(await t.token(), { continueUrl: undefined });
    const step = await t.sandbox.payu.act(orderId, 'pay');
    expect(step.method).toBe('NONE');
  });

  it.each([
    ['pay', 'COMPLETED', 'https://shop.test/thanks?o=42'],
    ['decline', 'CANCELED', 'https://shop.test/thanks?o=42&error=501'],
  ] as const)(
    'act("pending") stops at PENDING; act("%s") later settles it (%s) without a second PENDING',
    async (action, final, url) => {
      const t = setup();
      const { json, orderId } = await t.createOrder(await t.token());
      expect(await t.sandbox.payu.act(orderId, 'pending')).toEqual({
        method: 'GET',
        url: 'https://shop.test/thanks?o=42',
      });
      expect(t.sandbox.payu.orders()[0]?.status).toBe('PENDING');
      await t.sandbox.flush();
      expect(statuses(t)).toEqual(['PENDING']);
      // Not a button: the buyer's page offers only pay, pay_wfc and decline, and is closed once the order left NEW.
      const form = (body: string) =>
        t.sandbox.handler(
          new Request(json.redirectUri, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        );
      expect((await form('action=pending')).status).toBe(400);
      expect((await form('action=pay')).status).toBe(409);
      await expect(t.sandbox.payu.act(orderId, 'pending')).rejects.toThrow(/PENDING/);
      expect(await t.sandbox.payu.act(orderId, action)).toEqual({ method: 'GET', url });
      await t.sandbox.flush();
      expect(statuses(t)).toEqual(['PENDING', final]);
      expect(t.sandbox.payu.orders()[0]?.status).toBe(final);
    },
  );

  it('act() refuses an unknown order, an order already paid and an unknown action', async () => {
    const t = setup();
    const { orderId } = await t.createOrder(await t.token());
    await expect(t.sandbox.payu.act('NOPE', 'pay')).rejects.toThrow(/no order/);
    await t.sandbox.payu.act(orderId, 'pay');
    await expect(t.sandbox.payu.act(orderId, 'decline')).rejects.toThrow(/COMPLETED/);
    const other = await t.createOrder(await t.token());
    await expect(t.sandbox.payu.act(other.orderId, 'refund' as 'pay')).rejects.toThrow(/unknown action/);
  });
});
