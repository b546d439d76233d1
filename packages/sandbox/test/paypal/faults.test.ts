import { describe, expect, it } from 'vitest';
import { BUY_NOW, fieldsOf, openCheckout, postback, SUBSCRIBE, setup } from '../../src/paypal/test-kit';

async function checkout(kit: ReturnType<typeof setup>, vars = BUY_NOW) {
  const { sessionId } = await openCheckout(kit.sandbox, vars);
  return sessionId;
}

const verify = (kit: ReturnType<typeof setup>, text: string) =>
  postback(kit.sandbox, `cmd=_notify-validate&${text}`);

describe('PayPal faults', () => {
  it('duplicate: extra copies with the same bytes and ipn_track_id', async () => {
    const kit = setup({ faults: { duplicate: 2 } });
    await kit.sandbox.paypal.act(await checkout(kit), 'pay');
    await kit.sandbox.flush();
    expect(kit.received).toHaveLength(3);
    expect(new Set(kit.received.map((call) => call.text)).size).toBe(1);
    expect(kit.sandbox.paypal.ipns()).toHaveLength(1);
    expect(kit.sandbox.paypal.ipns()[0]?.copies).toBe(3);
  });

  it('reorder: IPNs created between two flushes arrive newest first', async () => {
    const kit = setup();
    kit.sandbox.paypal.faults.reorder = true;
    await kit.sandbox.paypal.act(await checkout(kit), 'pending');
    const txnId = kit.sandbox.paypal.transactions()[0]?.txnId ?? '';
    kit.sandbox.paypal.completePending(txnId);
    expect(kit.sandbox.paypal.ipns().map((ipn) => ipn.state)).toEqual(['queued', 'queued']);
    await kit.sandbox.flush();
    expect(kit.received.map((call) => fieldsOf(call.text).payment_status)).toEqual(['Completed', 'Pending']);
    expect(kit.received.map((call) => fieldsOf(call.text).txn_id)).toEqual([txnId, txnId]);
  });

  it('reorder: renewals created by the clock are delivered in the same advance', async () => {
    const kit = setup({ faults: { reorder: true } });
    await kit.sandbox.paypal.act(await checkout(kit, SUBSCRIBE), 'pay');
    await kit.sandbox.flush();
    expect(kit.received.map((call) => fieldsOf(call.text).txn_type)).toEqual([
      'subscr_payment',
      'subscr_signup',
    ]);
    await kit.sandbox.advance(31 * 24 * 3600_000);
    expect(kit.received).toHaveLength(3);
    expect(kit.sandbox.paypal.ipns().every((ipn) => ipn.state === 'delivered')).toBe(true);
  });

  it('delayMs: the first attempt waits on the sandbox clock', async () => {
    const kit = setup({ faults: { delayMs: 60_000 } });
    await kit.sandbox.paypal.act(await checkout(kit), 'pay');
    await kit.sandbox.flush();
    await kit.sandbox.advance(59_999);
    expect(kit.received).toHaveLength(0);
    await kit.sandbox.advance(1);
    expect(kit.received).toHaveLength(1);
  });

  it('postback INVALID, error500, error400 and fatal-html answer as PayPal does on a bad day', async () => {
    const kit = setup();
    await kit.sandbox.paypal.act(await checkout(kit), 'pay');
    await kit.sandbox.flush();
    const text = kit.received[0]?.text ?? '';
    kit.sandbox.paypal.faults.postback = 'INVALID';
    expect(await verify(kit, text)).toMatchObject({ status: 200, text: 'INVALID' });
    kit.sandbox.paypal.faults.postback = 'error500';
    expect((await verify(kit, text)).status).toBe(500);
    kit.sandbox.paypal.faults.postback = 'error400';
    expect(await verify(kit, text)).toMatchObject({
      status: 400,
      text: expect.stringContaining('Bad Request'),
    });
    kit.sandbox.paypal.faults.postback = 'fatal-html';
    const fatal = await verify(kit, text);
    expect(fatal.status).toBe(200);
    expect(fatal.text).toContain('Fatal Failure');
    kit.sandbox.paypal.faults.postback = 'normal';
    expect((await verify(kit, text)).text).toBe('VERIFIED');
  });

  it('postback timeout: hangs until the caller gives up', async () => {
    const kit = setup({ faults: { postback: 'timeout', postbackHangMs: 60_000 } });
    await kit.sandbox.paypal.act(await checkout(kit), 'pay');
    await kit.sandbox.flush();
    const started = Date.now();
    const request = new Request('http://sandbox.test/sb/paypal/cgi-bin/webscr', {
      method: 'POST',
      body: `cmd=_notify-validate&${kit.received[0]?.text}`,
      signal: AbortSignal.timeout(50),
    });
    const response = await kit.sandbox.handler(request);
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(5_000);
    kit.sandbox.paypal.faults.postbackHangMs = 20;
    const unaborted = await verify(kit, kit.received[0]?.text ?? '');
    expect(unaborted.status).toBe(504);
  });

  it('postbackDelayMs: a slow endpoint still answers VERIFIED, unless the caller gives up first', async () => {
    const kit = setup({ faults: { postbackDelayMs: 40 } });
    await kit.sandbox.paypal.act(await checkout(kit), 'pay');
    await kit.sandbox.flush();
    const text = kit.received[0]?.text ?? '';
    const started = Date.now();
    expect((await verify(kit, text)).text).toBe('VERIFIED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    kit.sandbox.paypal.faults.postbackDelayMs = 60_000;
    const abandoned = await kit.sandbox.handler(
      new Request('http://sandbox.test/sb/paypal/cgi-bin/webscr', {
        method: 'POST',
        body: `cmd=_notify-validate&${text}`,
        signal: AbortSignal.timeout(30),
      }),
    );
    expect(abandoned.status).toBe(504);
  });

  it('omitEot: no subscr_eot when the paid-up term of a cancelled subscription ends', async () => {
    const kit = setup({ faults: { omitEot: true } });
    await kit.sandbox.paypal.act(await checkout(kit, SUBSCRIBE), 'pay');
    await kit.sandbox.flush();
    const [subscription] = kit.sandbox.paypal.subscriptions();
    kit.sandbox.paypal.cancelSubscription(subscription?.subscrId ?? '');
    await kit.sandbox.advance(62 * 24 * 3600_000);
    const types = kit.received.map((call) => fieldsOf(call.text).txn_type);
    expect(types).toEqual(['subscr_signup', 'subscr_payment', 'subscr_cancel']);
    expect(kit.sandbox.paypal.subscriptions()[0]?.status).toBe('ended');
  });

  it('tamper: a different amount, currency or receiver that still VERIFIES', async () => {
    const kit = setup({
      faults: {
        tamper: {
          mc_gross: '0.01',
          mc_currency: 'USD',
          receiver_email: 'attacker@example.net',
          receiver_id: 'ATTACKER12345',
        },
      },
    });
    await kit.sandbox.paypal.act(await checkout(kit), 'pay');
    await kit.sandbox.flush();
    const text = kit.received[0]?.text ?? '';
    expect(fieldsOf(text)).toMatchObject({
      mc_gross: '0.01',
      mc_currency: 'USD',
      receiver_email: 'attacker@example.net',
      receiver_id: 'ATTACKER12345',
    });
    expect((await verify(kit, text)).text).toBe('VERIFIED');
  });

  it('charset: switches the IPN encoding for the next messages', async () => {
    const kit = setup();
    kit.sandbox.paypal.faults.charset = 'UTF-8';
    await kit.sandbox.paypal.act(await checkout(kit), 'pay', { buyer: { lastName: 'Ærøskøbing' } });
    await kit.sandbox.flush();
    const text = kit.received[0]?.text ?? '';
    expect(text).toContain('charset=UTF-8');
    expect(text).toContain('last_name=%C3%86r%C3%B8sk%C3%B8bing');
    expect((await verify(kit, text)).text).toBe('VERIFIED');
  });
});
