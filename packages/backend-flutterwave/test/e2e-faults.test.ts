import { FLUTTERWAVE_SANDBOX_SECRET_HASH } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { endState, SHOP, setup } from './support/e2e';

describe('e2e through the Flutterwave sandbox: faults', () => {
  it('a forged webhook is refused (401) and changes nothing, even naming a real paid transaction', async () => {
    const t = setup();
    const paid = await t.start();
    const step = (await t.act(paid.linkId, 'pay')) as { url: string };
    const victim = await t.start();
    const before = await t.get(victim.paymentId);
    t.sandbox.flutterwave.faults.signature = 'forged';
    await t.act(victim.linkId, 'pay');
    const forged = await t.bridge.handler(
      new Request(`${SHOP}/notify/flutterwave`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'verif-hash': 'guessed-secret-hash-value' },
        body: JSON.stringify({
          event: 'charge.completed',
          data: {
            id: Number(new URL(step.url).searchParams.get('transaction_id')),
            tx_ref: victim.paymentId,
            status: 'successful',
          },
        }),
      }),
    );
    expect(forged.status).toBe(401);
    const logged = await t.inbound();
    expect(logged.filter((m) => m.verdict === 'rejected').length).toBeGreaterThanOrEqual(2);
    // Nothing from the forged messages; the verify-or-pull that core may run asks Flutterwave by tx_ref.
    const after = await t.get(victim.paymentId);
    expect(
      after.amountPaid === 0 || after.externalId !== new URL(step.url).searchParams.get('transaction_id'),
    ).toBe(true);
    expect(before.status).toBe('new');
  });

  it('a genuine webhook body replayed under another payment’s tx_ref fails verification (tx_ref check)', async () => {
    const t = setup();
    const paid = await t.start();
    const step = (await t.act(paid.linkId, 'pay')) as { url: string };
    const victim = await t.start();
    const replay = await t.bridge.handler(
      new Request(`${SHOP}/notify/flutterwave`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'verif-hash': FLUTTERWAVE_SANDBOX_SECRET_HASH },
        body: JSON.stringify({
          event: 'charge.completed',
          data: {
            id: Number(new URL(step.url).searchParams.get('transaction_id')),
            tx_ref: victim.paymentId,
          },
        }),
      }),
    );
    expect(replay.status).toBe(400);
    expect(await t.get(victim.paymentId)).toMatchObject({ status: 'new', amountPaid: 0, externalId: null });
  });

  it('duplicates and newest-first delivery end in the same state as one in-order delivery', async () => {
    const calm = setup();
    const a = await calm.start();
    await calm.act(a.linkId, 'decline');
    await calm.act(a.linkId, 'pay');
    const expected = endState(await calm.get(a.paymentId));

    const noisy = setup();
    noisy.sandbox.flutterwave.faults.duplicate = 2;
    noisy.sandbox.flutterwave.faults.reorder = true;
    const b = await noisy.start();
    await noisy.act(b.linkId, 'decline');
    await noisy.act(b.linkId, 'pay');
    expect(await noisy.sandbox.flutterwave.releaseHeld()).toBe(6);
    const state = endState(await noisy.get(b.paymentId));
    expect({ ...state, externalId: null, captures: state.captures.length }).toEqual({
      ...expected,
      externalId: null,
      captures: expected.captures.length,
    });
    expect(state).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('a lost webhook: bridge.reconcile() pulls by tx_ref and recovers the payment', async () => {
    const t = setup();
    t.sandbox.flutterwave.faults.dropWebhooks = true;
    const { paymentId, linkId } = await t.start();
    await t.act(linkId, 'pay');
    expect((await t.get(paymentId)).status).toBe('new');
    // A fresh payment is left alone (its webhook may be on its way); six minutes later it is pulled.
    expect(await t.bridge.reconcile()).toMatchObject({ pulled: 0 });
    t.clock.advance(6 * 60_000);
    expect(await t.bridge.reconcile()).toMatchObject({ pulled: 1, changed: 1 });
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('Flutterwave down while verifying: 503 so the webhook is retried, and the retry pays', async () => {
    const t = setup();
    const { paymentId, linkId } = await t.start();
    t.sandbox.flutterwave.faults.apiError = { status: 503, remaining: 1 };
    await t.act(linkId, 'pay');
    expect((await t.get(paymentId)).status).toBe('new');
    expect((await t.inbound())[0]).toMatchObject({ responseStatus: 503 });
    await t.sandbox.advance(30 * 60_000);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('refunds: a partial then the rest, in major units; a pending refund is completed by a pull', async () => {
    const t = setup({ simulator: { refundStatus: 'pending' } });
    const { paymentId, linkId } = await t.start();
    await t.act(linkId, 'pay');
    await t.bridge.refund(paymentId, { amount: 499 });
    expect(await t.get(paymentId)).toMatchObject({ amountRefunded: 0 });
    const refundCall = (await t.outbound()).find((c) => c.kind === 'refund');
    expect(refundCall?.body).toContain('"amount":4.99');
    t.sandbox.flutterwave.completeRefunds();
    await t.bridge.sync(paymentId);
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 499 });
    await t.bridge.refund(paymentId, { amount: 1500 });
    t.sandbox.flutterwave.completeRefunds();
    await t.bridge.sync(paymentId);
    expect(await t.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
  });

  it('a refund Flutterwave completes at once is recorded at once', async () => {
    const t = setup();
    const { paymentId, linkId } = await t.start();
    await t.act(linkId, 'pay');
    await t.bridge.refund(paymentId, { amount: 1999 });
    expect(await t.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
  });
});
