import { FLUTTERWAVE_SANDBOX_SECRET_KEY } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { ENDPOINT, setup } from './support/e2e';

type Harness = ReturnType<typeof setup>;

/** Every refund Flutterwave (the sandbox) holds for the payment's transaction. */
async function refundsAtFlutterwave(t: Harness, paymentId: string) {
  const txId = (await t.get(paymentId)).externalId as string;
  const response = await t.sandbox.handler(
    new Request(`${ENDPOINT}/refunds?id=${txId}`, {
      headers: { authorization: `Bearer ${FLUTTERWAVE_SANDBOX_SECRET_KEY}` },
    }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: number; amount_refunded: number }[] }).data;
}

async function paid(t: Harness) {
  const { paymentId, linkId } = await t.start();
  await t.act(linkId, 'pay');
  expect((await t.get(paymentId)).status).toBe('paid');
  return paymentId;
}

describe('e2e through the Flutterwave sandbox: a refund whose answer was lost (no idempotency key)', () => {
  it('the retry adopts the refund the first attempt made: one refund at Flutterwave, refunded once', async () => {
    const t = setup();
    const paymentId = await paid(t);
    t.sandbox.flutterwave.faults.loseRefundAnswers = 1;
    await expect(t.bridge.refund(paymentId, { amount: 1999, idempotencyKey: 'r-1' })).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    expect(await refundsAtFlutterwave(t, paymentId)).toHaveLength(1);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });

    const after = await t.bridge.refund(paymentId, { amount: 1999, idempotencyKey: 'r-1' });
    expect(after).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    const held = await refundsAtFlutterwave(t, paymentId);
    expect(held).toEqual([expect.objectContaining({ amount_refunded: 19.99 })]);
    expect((await t.outbound()).filter((c) => c.kind === 'refund')).toHaveLength(1);
    expect(after.refunds).toEqual([
      expect.objectContaining({ kind: 'refund', amount: 1999, status: 'succeeded', request: 'accepted' }),
    ]);
    expect((await t.get(paymentId)).brokerData.flutterwaveRefunds).toEqual({
      [after.refunds[0]?.id as string]: String(held[0]?.id),
    });

    // A third call with the same key is answered from the record; nothing more reaches Flutterwave.
    await t.bridge.refund(paymentId, { amount: 1999, idempotencyKey: 'r-1' });
    expect(await refundsAtFlutterwave(t, paymentId)).toHaveLength(1);
    expect(await t.get(paymentId)).toMatchObject({ amountRefunded: 1999 });
  });

  it('a first call that refunded nothing is sent again, but never blind while the list cannot be read', async () => {
    const t = setup();
    const paymentId = await paid(t);
    const refundCalls = async () => (await t.outbound()).filter((c) => c.kind === 'refund').length;
    const lookups = async () => (await t.outbound()).filter((c) => c.kind === 'list-refunds').length;
    // The first call is lost before Flutterwave acts (503).
    t.sandbox.flutterwave.faults.apiError = { status: 503, remaining: 1 };
    const attempt = () => t.bridge.refund(paymentId, { amount: 500, idempotencyKey: 'r-2' });
    await expect(attempt()).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect([await refundCalls(), await lookups()]).toEqual([1, 0]);
    // The retry's look-up answers 503: nothing is sent, the refund stays pending.
    t.sandbox.flutterwave.faults.apiError = { status: 503, remaining: 1 };
    await expect(attempt()).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect([await refundCalls(), await lookups()]).toEqual([1, 1]);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    // The next retry finds no refund of ours at Flutterwave and sends it: exactly one in the end.
    const after = await attempt();
    expect([await refundCalls(), await lookups()]).toEqual([2, 2]);
    expect(after).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    expect(await refundsAtFlutterwave(t, paymentId)).toHaveLength(1);
  });

  it('a refund of that amount made before our request, or owned by another refund of ours, is not adopted', async () => {
    const t = setup();
    const paymentId = await paid(t);
    await t.bridge.refund(paymentId, { amount: 300, idempotencyKey: 'first' });
    t.clock.advance(10 * 60_000);
    t.sandbox.flutterwave.faults.loseRefundAnswers = 1;
    await expect(t.bridge.refund(paymentId, { amount: 300, idempotencyKey: 'second' })).rejects.toMatchObject(
      {
        code: 'BROKER_UNAVAILABLE',
      },
    );
    const after = await t.bridge.refund(paymentId, { amount: 300, idempotencyKey: 'second' });
    expect(after).toMatchObject({ amountRefunded: 600 });
    const held = await refundsAtFlutterwave(t, paymentId);
    expect(held).toHaveLength(2);
    expect(new Set(Object.values((await t.get(paymentId)).brokerData.flutterwaveRefunds as object))).toEqual(
      new Set(held.map((r) => String(r.id))),
    );
  });
});
