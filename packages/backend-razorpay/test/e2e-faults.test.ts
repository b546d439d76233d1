import { describe, expect, it } from 'vitest';
import { endState, SHOP, setup } from './support/e2e';

describe('Razorpay faults through the sandbox', () => {
  it('forged webhooks are refused with 400, change nothing, and a pull finds the truth', async () => {
    const e2e = setup({ simulatorSecret: 'not-the-merchant-secret' });
    const started = await e2e.start();
    await e2e.act(started.linkId, 'pay');
    const messages = await e2e.inbound();
    expect(messages.length).toBe(4);
    expect(messages.every((m) => m.verdict !== 'verified')).toBe(true);
    const deliveries = e2e.sandbox.razorpay.deliveries();
    expect(deliveries.every((d) => d.attempts[0]?.status === 400)).toBe(true);
    // Verify-or-pull: core asked Razorpay about the named payment; what Razorpay says (paid) counts,
    // through the pull's own facts, never through the refused messages.
    const payment = await e2e.get(started.paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 49_900 });
    const paidBy = (await e2e.store.listTransitions(started.paymentId)).find((t) => t.to === 'paid');
    expect(paidBy?.eventId).not.toMatch(/^evt_/);
  });

  it('a forged webhook naming a payment that is not paid changes nothing', async () => {
    const e2e = setup();
    const started = await e2e.start();
    const body = JSON.stringify({
      entity: 'event',
      event: 'payment_link.paid',
      payload: {
        payment_link: {
          entity: {
            id: started.linkId,
            status: 'paid',
            amount: 49_900,
            amount_paid: 49_900,
            currency: 'INR',
            reference_id: started.paymentId,
            payments: [{ payment_id: 'pay_Forged', amount: 49_900, status: 'captured' }],
          },
        },
      },
    });
    const response = await e2e.bridge.handler(
      new Request(`${SHOP}/notify/razorpay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-razorpay-signature': '0'.repeat(64) },
        body,
      }),
    );
    expect(response.status).toBe(400);
    const payment = await e2e.get(started.paymentId);
    expect(payment).toMatchObject({ status: 'new', amountPaid: 0 });
    expect(payment.captures).toEqual([]);
  });

  it('duplicated and reordered webhooks end in the same state as a clean delivery', async () => {
    const clean = setup();
    const a = await clean.paid();
    const messy = setup({ simulator: { faults: { duplicate: 2, reorder: true } } });
    const b = await messy.paid();
    expect(endState(await messy.get(b.paymentId))).toEqual(endState(await clean.get(a.paymentId)));
    expect((await messy.inbound()).length).toBe(12);
    const moves = (await messy.store.listTransitions(b.paymentId)).filter((t) => t.cause !== 'broker_data');
    expect(moves.map((t) => t.to)).toEqual(['new', 'paid']);
  });

  it('webhooks answered 5xx are retried on Razorpay’s schedule until acknowledged', async () => {
    const e2e = setup();
    const started = await e2e.start();
    e2e.sandbox.razorpay.act(started.linkId, 'pay');
    const [first] = e2e.sandbox.razorpay.deliveries();
    // The shop is down for the first attempt of every webhook.
    const original = first?.call.url as string;
    for (const d of e2e.sandbox.razorpay.deliveries()) d.call.url = `${SHOP}/down`;
    await e2e.sandbox.flush();
    expect((await e2e.get(started.paymentId)).status).toBe('new');
    for (const d of e2e.sandbox.razorpay.deliveries()) d.call.url = original;
    await e2e.sandbox.advance(60_000);
    expect((await e2e.get(started.paymentId)).status).toBe('paid');
    expect(
      e2e.sandbox.razorpay.deliveries().every((d) => d.state === 'delivered' && d.attempts.length === 2),
    ).toBe(true);
  });

  it('bridge.reconcile() recovers a payment whose webhooks were lost', async () => {
    const e2e = setup({ simulator: { faults: { dropWebhooks: true } } });
    const paid = await e2e.start();
    const open = await e2e.start();
    await e2e.act(paid.linkId, 'pay');
    expect(await e2e.inbound()).toEqual([]);
    expect((await e2e.get(paid.paymentId)).status).toBe('new');
    const result = await e2e.bridge.reconcile({ olderThan: 0 });
    expect(result).toMatchObject({ pulled: 2, changed: 1, failed: [] });
    expect(await e2e.get(paid.paymentId)).toMatchObject({ status: 'paid', amountPaid: 49_900 });
    expect((await e2e.get(open.paymentId)).status).toBe('new');
    expect(await e2e.bridge.reconcile({ olderThan: 0 })).toMatchObject({ pulled: 1, changed: 0 });
  });

  it('an API that answers 5xx fails the start with BROKER_UNAVAILABLE and nothing is left half-made', async () => {
    const e2e = setup({ simulator: { faults: { apiError: { status: 503, remaining: 1 } } } });
    const response = await e2e.bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'razorpay', orderId: 'down-1' }),
      }),
    );
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BROKER_UNAVAILABLE');
    expect(e2e.sandbox.razorpay.links()).toEqual([]);
    await e2e.paid();
  });
});
