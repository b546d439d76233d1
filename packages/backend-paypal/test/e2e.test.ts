import { describe, expect, it } from 'vitest';
import { MONTH, SHOP, setup, zoe } from './support/e2e';

describe('PayPal Buy Now end to end through the sandbox', () => {
  it('pays; a windows-1252 name survives verification; the return is never proof', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    const step = await t.sandbox.paypal.act(session, 'pay', zoe);
    expect((await t.get(paymentId)).status).toBe('new');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });

    const ipn = t.sandbox.paypal.ipns()[0];
    expect(ipn?.charset).toBe('windows-1252');
    expect(ipn?.fields).toEqual(
      expect.arrayContaining([
        ['first_name', 'Zoë'],
        ['last_name', 'Ærøskøbing'],
      ]),
    );
    const raw = new TextDecoder().decode(ipn?.body);
    expect(raw).toContain('Zo%EB');
    expect(raw).toContain('%C6r%F8sk%F8bing');
    const [inbound] = await t.notifications();
    expect(inbound).toMatchObject({ verdict: 'verified', responseStatus: 200 });
    // The postback is the received bytes behind cmd=_notify-validate&; the sandbox VERIFIES only those.
    const [postback] = (await t.store.listMessages({ direction: 'outbound', limit: 50 })).items;
    expect(postback).toMatchObject({ kind: 'ipn-postback', body: `cmd=_notify-validate&${raw}` });

    if (step.method !== 'GET') throw new Error('rm=1 returns with a GET');
    expect(step.url.startsWith(`${SHOP}/return/paypal/${paymentId}`)).toBe(true);
    const back = await t.bridge.handler(new Request(step.url));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toContain('https://shop.test/thanks');
  });

  it('verifies UTF-8 IPNs too, and JPY amounts without decimals', async () => {
    const t = setup({ simulator: { charset: 'UTF-8' } });
    const { paymentId, session, fields } = await t.start('jpy-');
    expect(fields.amount).toBe('1500');
    await t.sandbox.paypal.act(session, 'pay', zoe);
    await t.sandbox.flush();
    expect(t.sandbox.paypal.ipns()[0]?.charset).toBe('UTF-8');
    expect(new TextDecoder().decode(t.sandbox.paypal.ipns()[0]?.body)).toContain('Zo%C3%AB');
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1500, currency: 'JPY' });
  });

  it('pays and refunds HUF, which PayPal writes without the decimals ISO 4217 gives it', async () => {
    const t = setup();
    const { paymentId, session, fields } = await t.start('huf-');
    expect(fields).toMatchObject({ amount: '1500', currency_code: 'HUF' });
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect(t.sandbox.paypal.ipns()[0]?.fields).toContainEqual(['mc_gross', '1500']);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 150000, currency: 'HUF' });
    t.sandbox.paypal.refund(t.txnOf(paymentId), '500');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 50000 });
  });

  it('returns with a POST of the payment variables when rm=2, still without any change', async () => {
    const t = setup({ backend: { returnMethod: 'POST' } });
    const { paymentId, session } = await t.start();
    const step = await t.sandbox.paypal.act(session, 'pay');
    if (step.method !== 'POST') throw new Error('rm=2 returns with a POST');
    expect(step.fields.payment_status).toBe('Completed');
    const back = await t.bridge.handler(
      new Request(step.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(step.fields).toString(),
      }),
    );
    expect(back.status).toBe(303);
    expect((await t.get(paymentId)).status).toBe('new');
  });

  it('cancels: the buyer goes to the failure URL, nothing is paid', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    const step = await t.sandbox.paypal.act(session, 'cancel');
    if (step.method !== 'GET') throw new Error('cancel_return is a GET');
    await t.sandbox.flush();
    const back = await t.bridge.handler(new Request(step.url));
    expect(back.headers.get('location')).toContain('https://shop.test/sorry');
    expect((await t.get(paymentId)).status).toBe('new');
  });

  it('pending → completed on one txn_id applies both once', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pending', { pendingReason: 'echeck' });
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('pending');
    t.sandbox.paypal.completePending(t.txnOf(paymentId));
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'pending', 'paid']);
  });

  it('a denial fails nothing before money bound the payment: pending → denied, deny or fail at checkout leave it payable', async () => {
    // Binding (issue 14 item 2): before a capture PayPal's messages cannot tell the customer's own
    // checkout from a stranger's naming the same invoice, so a refusal is reported, never final.
    const t = setup();
    const processed: string[] = [];
    t.bridge.on('payment.processed', ({ facts, outcome }) => {
      processed.push(`${facts.map((f) => f.type).join(',')}:${outcome}`);
    });
    const declined: string[] = [];
    t.bridge.on('payment.declined', ({ payment }) => {
      declined.push(payment.id);
    });
    const first = await t.start();
    await t.sandbox.paypal.act(first.session, 'pending');
    await t.sandbox.flush();
    t.sandbox.paypal.denyPending(t.txnOf(first.paymentId));
    await t.sandbox.flush();
    expect(await t.get(first.paymentId)).toMatchObject({ status: 'pending', externalId: null });
    for (const action of ['deny', 'fail'] as const) {
      const next = await t.start();
      await t.sandbox.paypal.act(next.session, action);
      await t.sandbox.flush();
      // (The sandbox says Pending before it refuses.)
      expect(await t.get(next.paymentId)).toMatchObject({ status: 'pending', externalId: null });
    }
    expect(declined).toEqual([]);
    // Each refusal is reported on payment.processed, as a fact that changed nothing.
    expect(processed.filter((p) => p.startsWith('failed'))).toEqual(Array(3).fill('failed:unchanged'));
    const logged = (await t.notifications()).filter((m) => m.detail?.includes('another attempt'));
    expect(logged).toHaveLength(3);
  });

  it('refunds partly then fully', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const txnId = t.txnOf(paymentId);
    // The txn_id is kept, so refunds can be matched by parent_txn_id alone.
    expect((await t.get(paymentId)).externalId).toBe(txnId);
    t.sandbox.paypal.refund(txnId, '5.00');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    t.sandbox.paypal.refund(txnId, '14.99');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({
      status: 'refunded',
      amountRefunded: 1999,
      amountPaid: 1999,
    });
  });

  it('is reversed by a chargeback, and paid again when the reversal is cancelled', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const txnId = t.txnOf(paymentId);
    t.sandbox.paypal.reverse(txnId);
    await t.sandbox.flush();
    const reversed = await t.get(paymentId);
    expect(reversed).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(reversed.refunds.map((r) => r.kind)).toEqual(['reversal']);
    t.sandbox.paypal.cancelReversal(txnId);
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0, amountPaid: 1999 });
  });
});

describe('PayPal subscription end to end', () => {
  it('signs up, takes three monthly payments as linked payments, then is cancelled', async () => {
    const t = setup();
    const { paymentId, session, fields } = await t.start('sub-');
    expect(fields).toMatchObject({ cmd: '_xclick-subscriptions', a3: '19.99', p3: '1', t3: 'M', src: '1' });
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    await t.sandbox.advance(MONTH);
    await t.sandbox.advance(MONTH);

    const parent = await t.get(paymentId);
    expect(parent.subscription).toMatchObject({ status: 'active' });
    const subscrId = parent.subscription?.id as string;
    const renewals = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p) => p.parentPaymentId === paymentId,
    );
    expect(renewals).toHaveLength(3);
    for (const renewal of renewals) expect(renewal).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(new Set(renewals.map((r) => r.externalId)).size).toBe(3);

    t.sandbox.paypal.cancelSubscription(subscrId);
    await t.sandbox.flush();
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'cancelled' });
    // No more payments after the cancellation.
    await t.sandbox.advance(MONTH);
    const after = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p) => p.parentPaymentId === paymentId,
    );
    expect(after).toHaveLength(3);
    // The paid-up term ran out: PayPal's subscr_eot ends it.
    expect(t.sandbox.paypal.ipns().map((ipn) => ipn.txnType)).toContain('subscr_eot');
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'ended' });
  });

  it('records a failed subscription payment and the end of term', async () => {
    const t = setup();
    const { paymentId, session } = await t.start('sub-');
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const subscrId = (await t.get(paymentId)).subscription?.id as string;
    t.sandbox.paypal.failSubscriptionPayment(subscrId);
    await t.sandbox.flush();
    t.sandbox.paypal.endSubscription(subscrId);
    await t.sandbox.flush();
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'ended' });
  });
});
