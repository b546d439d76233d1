import { describe, expect, it } from 'vitest';
import { FLUTTERWAVE_SANDBOX_SECRET_HASH, flutterwaveSignature } from '../src/index';
import { setupFlutterwave } from './flutterwave-support';

const txIdOf = (step: unknown) =>
  Number(new URL((step as { url: string }).url).searchParams.get('transaction_id'));

describe('Flutterwave simulator: webhooks', () => {
  it('charge.completed with verif-hash = the secret hash and flutterwave-signature over the raw body', async () => {
    const t = setupFlutterwave();
    const { linkId } = await t.createPayment();
    const id = txIdOf(t.sandbox.flutterwave.act(linkId, 'pay'));
    await t.sandbox.flush();
    expect(t.received).toHaveLength(1);
    const [hook] = t.received as [{ headers: Headers; body: string }];
    expect(hook.headers.get('verif-hash')).toBe(FLUTTERWAVE_SANDBOX_SECRET_HASH);
    expect(hook.headers.get('flutterwave-signature')).toBe(
      flutterwaveSignature(FLUTTERWAVE_SANDBOX_SECRET_HASH, new TextEncoder().encode(hook.body)),
    );
    const body = JSON.parse(hook.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      event: 'charge.completed',
      'event.type': 'CARD_TRANSACTION',
      data: { id, tx_ref: 'pb-ord-1001', amount: 100.5, currency: 'NGN', status: 'successful' },
    });
  });

  it('the signature of the reference worked example', () => {
    const body =
      '{"event":"charge.completed","data":{"id":285959875,"tx_ref":"pb-ord-1001","flw_ref":"LinkzyMoney/FLW275389391","amount":100.5,"currency":"NGN","charged_amount":100.5,"app_fee":1.41,"status":"successful","payment_type":"card","customer":{"email":"ada@example.com"}},"event.type":"CARD_TRANSACTION"}';
    expect(flutterwaveSignature('my-Secret-Hash-123', new TextEncoder().encode(body))).toBe(
      '7+dEkyAUQXo4jLYtdvdgy8V4KVwToqsIRWnElPumG7c=',
    );
  });

  it('a declined card: charge.completed with status failed; the page allows another try', async () => {
    const t = setupFlutterwave();
    const { linkId } = await t.createPayment({ max_retry_attempt: 2 });
    expect(t.sandbox.flutterwave.act(linkId, 'decline').method).toBe('NONE');
    const last = t.sandbox.flutterwave.act(linkId, 'decline') as { url: string };
    expect(new URL(last.url).searchParams.get('status')).toBe('failed');
    await t.sandbox.flush();
    expect(t.received.map((r) => (JSON.parse(r.body) as { data: { status: string } }).data.status)).toEqual([
      'failed',
      'failed',
    ]);
  });

  it('not answered 2xx: retried every 30 minutes, three times, on the sandbox clock', async () => {
    const t = setupFlutterwave({}, 500);
    const { linkId } = await t.createPayment();
    t.sandbox.flutterwave.act(linkId, 'pay');
    await t.sandbox.flush();
    await t.sandbox.advance(29 * 60_000);
    expect(t.received).toHaveLength(1);
    await t.sandbox.advance(60_000);
    expect(t.received).toHaveLength(2);
    await t.sandbox.advance(2 * 30 * 60_000);
    expect(t.received).toHaveLength(4);
    await t.sandbox.advance(24 * 3600_000);
    expect(t.received).toHaveLength(4);
    expect(t.sandbox.flutterwave.deliveries()[0]?.state).toBe('gave-up');
  });

  it('retries off in the dashboard: one attempt only', async () => {
    const t = setupFlutterwave({ retries: false }, 500);
    const { linkId } = await t.createPayment();
    t.sandbox.flutterwave.act(linkId, 'pay');
    await t.sandbox.advance(3 * 3600_000);
    expect(t.received).toHaveLength(1);
  });

  it('faults: duplicates, forged and missing headers, lost webhooks, newest first', async () => {
    const t = setupFlutterwave();
    const faults = t.sandbox.flutterwave.faults;
    faults.duplicate = 2;
    const a = await t.createPayment({ tx_ref: 'a' });
    t.sandbox.flutterwave.act(a.linkId, 'pay');
    await t.sandbox.flush();
    expect(t.received).toHaveLength(3);

    faults.duplicate = 0;
    faults.signature = 'forged';
    const b = await t.createPayment({ tx_ref: 'b' });
    t.sandbox.flutterwave.act(b.linkId, 'pay');
    faults.signature = 'missing';
    const c = await t.createPayment({ tx_ref: 'c' });
    t.sandbox.flutterwave.act(c.linkId, 'pay');
    await t.sandbox.flush();
    expect(t.received[3]?.headers.get('verif-hash')).not.toBe(FLUTTERWAVE_SANDBOX_SECRET_HASH);
    expect(t.received[4]?.headers.has('verif-hash')).toBe(false);
    expect(t.received[4]?.headers.has('flutterwave-signature')).toBe(false);

    faults.signature = 'valid';
    faults.dropWebhooks = true;
    const d = await t.createPayment({ tx_ref: 'd' });
    t.sandbox.flutterwave.act(d.linkId, 'pay');
    await t.sandbox.flush();
    expect(t.received).toHaveLength(5);

    faults.dropWebhooks = false;
    faults.reorder = true;
    const e = await t.createPayment({ tx_ref: 'e' });
    t.sandbox.flutterwave.act(e.linkId, 'decline');
    t.sandbox.flutterwave.act(e.linkId, 'pay');
    await t.sandbox.flush();
    expect(t.received).toHaveLength(5);
    expect(await t.sandbox.flutterwave.releaseHeld()).toBe(2);
    const statuses = t.received
      .slice(5)
      .map((r) => (JSON.parse(r.body) as { data: { status: string } }).data.status);
    expect(statuses).toEqual(['successful', 'failed']);
  });

  it('a pending bank transfer settles later with its webhook; resend-hook sends it again', async () => {
    const t = setupFlutterwave();
    const { linkId } = await t.createPayment();
    const id = txIdOf(t.sandbox.flutterwave.act(linkId, 'pending'));
    await t.sandbox.flush();
    expect(t.received).toHaveLength(0);
    t.sandbox.flutterwave.settle(id, 'successful');
    await t.sandbox.flush();
    expect(JSON.parse(t.received[0]?.body as string)).toMatchObject({
      'event.type': 'BANK_TRANSFER_TRANSACTION',
      data: { status: 'successful' },
    });
    expect((await t.api(`/transactions/${id}/resend-hook`, { method: 'POST' })).status).toBe(200);
    await t.sandbox.flush();
    expect(t.received).toHaveLength(2);
  });
});
