import { describe, expect, it } from 'vitest';
import { BUY_NOW, fieldsOf, openCheckout, setup } from '../../src/paypal/test-kit';

async function paid(paypal?: Parameters<typeof setup>[0], buyer?: { firstName?: string; lastName?: string }) {
  const kit = setup(paypal);
  const { sessionId } = await openCheckout(kit.sandbox, BUY_NOW);
  await kit.sandbox.paypal.act(sessionId, 'pay', buyer ? { buyer } : {});
  return kit;
}

describe('PayPal IPN delivery', () => {
  it('posts a form-encoded web_accept IPN to notify_url as PayPal does', async () => {
    const { sandbox, received } = await paid();
    expect(received).toHaveLength(0); // nothing leaves before the test flushes
    expect(await sandbox.flush()).toBe(1);
    const call = received[0];
    expect(call?.url).toBe(BUY_NOW.notify_url);
    expect(call?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(call?.headers.get('user-agent')).toBe('PayPal IPN ( https://www.paypal.com/ipn )');
    const fields = fieldsOf(call?.text ?? '');
    const [tx] = sandbox.paypal.transactions();
    expect(fields).toMatchObject({
      txn_type: 'web_accept',
      payment_status: 'Completed',
      txn_id: tx?.txnId,
      mc_gross: '10.00',
      mc_currency: 'EUR',
      receiver_email: 'merchant@example.com',
      receiver_id: 'MERCHANT12345',
      business: 'merchant@example.com',
      invoice: 'INV-1',
      custom: 'pay_123',
      charset: 'windows-1252',
      test_ipn: '1',
      payment_gross: '',
    });
    expect(fields.txn_id).toMatch(/^[0-9A-Z]{17}$/);
    expect(fields.ipn_track_id).toMatch(/^[0-9a-f]{13}$/);
    expect(fields.payment_date).toMatch(/^\d\d:\d\d:\d\d [A-Z][a-z]{2} \d\d, \d{4} P[SD]T$/);
    // Live escaping: `+` for spaces, `:` and `,` escaped.
    expect(call?.text).toMatch(/payment_date=\d\d%3A\d\d%3A\d\d\+[A-Z][a-z]{2}\+\d\d%2C\+\d{4}\+P[SD]T/);
    expect(sandbox.paypal.ipns()[0]).toMatchObject({
      state: 'delivered',
      charset: 'windows-1252',
      copies: 1,
    });
    expect(sandbox.paypal.ipns()[0]?.body).toEqual(call?.body);
  });

  it('sends a name like "Zoë Ærøskøbing" as windows-1252 bytes behind %XX by default', async () => {
    const { sandbox, received } = await paid(undefined, { firstName: 'Zoë', lastName: 'Ærøskøbing' });
    await sandbox.flush();
    expect(received[0]?.text).toContain('first_name=Zo%EB&');
    expect(received[0]?.text).toContain('last_name=%C6r%F8sk%F8bing&');
    expect(received[0]?.text).toContain('address_name=Zo%EB+%C6r%F8sk%F8bing&');
    expect([...(received[0]?.body ?? [])].every((byte) => byte < 0x80)).toBe(true);
  });

  it('sends UTF-8 bytes and charset=UTF-8 when the account is set so', async () => {
    const { sandbox, received } = await paid(
      { charset: 'UTF-8' },
      { firstName: 'Zoë', lastName: 'Ærøskøbing' },
    );
    await sandbox.flush();
    expect(received[0]?.text).toContain('last_name=%C3%86r%C3%B8sk%C3%B8bing&');
    expect(fieldsOf(received[0]?.text ?? '')).toMatchObject({ charset: 'UTF-8', last_name: 'Ærøskøbing' });
  });

  it('live mode never sends test_ipn', async () => {
    const { sandbox, received } = await paid({ mode: 'live' });
    await sandbox.flush();
    expect(fieldsOf(received[0]?.text ?? '')).not.toHaveProperty('test_ipn');
  });

  it('sends nothing without notify_url', async () => {
    const { sandbox, received } = setup();
    const { notify_url: _ignored, ...vars } = BUY_NOW;
    const { sessionId } = await openCheckout(sandbox, vars);
    await sandbox.paypal.act(sessionId, 'pay');
    await sandbox.flush();
    expect(received).toHaveLength(0);
    expect(sandbox.paypal.transactions()).toHaveLength(1);
  });

  it('re-posts the same bytes on 10 s·2^n until it gets a 200', async () => {
    const { sandbox, received, respondWith } = await paid();
    let answers = 0;
    respondWith(() => {
      answers++;
      if (answers === 2) throw new TypeError('connection reset');
      return new Response('nope', { status: answers < 4 ? 500 : 200 });
    });
    const start = sandbox.clock.now();
    await sandbox.flush();
    await sandbox.advance(9_999);
    expect(received).toHaveLength(1);
    await sandbox.advance(1);
    expect(received).toHaveLength(2);
    await sandbox.advance(20_000);
    await sandbox.advance(40_000);
    await sandbox.advance(80_000);
    expect(received.map((call) => call.at - start)).toEqual([0, 10_000, 30_000, 70_000]);
    expect(new Set(received.map((call) => call.text)).size).toBe(1);
    const [ipn] = sandbox.paypal.ipns();
    expect(ipn?.state).toBe('delivered');
    expect(ipn?.attempts.map((attempt) => attempt.status)).toEqual([500, null, 500, 200]);
  });

  it('counts a listener that does not answer within ipnTimeoutMs as a failed attempt, and retries', async () => {
    const { sandbox, received, respondWith } = await paid({ ipnTimeoutMs: 30 });
    respondWith(() => new Promise<Response>(() => {}));
    await sandbox.flush();
    expect(sandbox.paypal.ipns()[0]?.attempts).toMatchObject([{ status: null, error: expect.any(String) }]);
    respondWith(() => new Response('', { status: 200 }));
    await sandbox.advance(10_000);
    expect(received).toHaveLength(2);
    expect(sandbox.paypal.ipns()[0]?.state).toBe('delivered');
  });

  it('gives up about 4 days after the first post (17 attempts)', async () => {
    const { sandbox, received, respondWith } = await paid();
    respondWith(() => new Response('down', { status: 503 }));
    await sandbox.flush();
    // Step exactly to each retry so lateness does not accumulate.
    for (let next = sandbox.queue.pending()[0]; next; next = sandbox.queue.pending()[0]) {
      await sandbox.advance(next.dueAt - sandbox.clock.now());
    }
    expect(received).toHaveLength(17);
    const last = received.at(-1)?.at ?? 0;
    expect(last - (received[0]?.at ?? 0)).toBeLessThanOrEqual(4 * 24 * 3600_000);
    expect(sandbox.paypal.ipns()[0]?.state).toBe('gave-up');
  });

  it('resendIpn posts the same variables with resend=true', async () => {
    const { sandbox, received } = await paid();
    await sandbox.flush();
    const original = sandbox.paypal.ipns()[0];
    sandbox.paypal.resendIpn(original?.ipnTrackId ?? '');
    await sandbox.flush();
    const first = fieldsOf(received[0]?.text ?? '');
    const second = fieldsOf(received[1]?.text ?? '');
    expect(second.resend).toBe('true');
    expect(second.txn_id).toBe(first.txn_id);
    expect(second.payment_status).toBe(first.payment_status);
  });
});
