import { describe, expect, it } from 'vitest';
import { BUYER_IP, POS, SHOP, setup } from './support/e2e';

/**
 * End to end through the PayU sandbox (see lib/e2e-harness.ts): the flows of the "Done when".
 * The faults are in e2e-faults.test.ts.
 */
describe('PayU end to end through the sandbox', () => {
  it('pays: notifications PENDING then COMPLETED make the payment paid, the return goes to the success URL', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    const step = await t.sandbox.payu.act(orderId, 'pay');
    expect(step.method).toBe('GET');
    await t.sandbox.flush();

    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 21000, externalId: orderId });
    const transitions = await t.store.listTransitions(paymentId);
    expect(transitions.map((tr) => tr.to)).toEqual(['new', 'pending', 'paid']);
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.length).toBeGreaterThanOrEqual(2);
    expect(inbound.every((m) => m.verdict === 'verified' && m.responseStatus === 200)).toBe(true);

    if (step.method !== 'GET') throw new Error('expected a GET step');
    expect(step.url.startsWith(`${SHOP}/return/payu/${paymentId}`)).toBe(true);
    const back = await t.bridge.handler(new Request(step.url), { clientIp: BUYER_IP });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`https://shop.test/thanks?payment=${paymentId}`);

    // What PayU received: the order as the protocol wants it.
    const created = (await t.messages(paymentId, 'outbound')).find((m) => m.kind === 'create-order');
    expect(JSON.parse(created?.body ?? '{}')).toMatchObject({
      customerIp: BUYER_IP,
      merchantPosId: '300746',
      currencyCode: 'PLN',
      totalAmount: '21000',
      extOrderId: paymentId,
      notifyUrl: `${SHOP}/notify/payu`,
    });
  });

  it('declines: CANCELED makes the payment failed, the return carries error=501 to the failure URL', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    const step = await t.sandbox.payu.act(orderId, 'decline');
    if (step.method !== 'GET') throw new Error('expected a GET step');
    expect(new URL(step.url).searchParams.get('error')).toBe('501');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('failed');
    const back = await t.bridge.handler(new Request(step.url), { clientIp: BUYER_IP });
    expect(back.headers.get('location')).toBe(`https://shop.test/sorry?payment=${paymentId}`);
  });

  it('authorizes (WAITING_FOR_CONFIRMATION), then captures', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({
      status: 'authorized',
      amountAuthorized: 21000,
      amountPaid: 0,
    });

    const captured = await t.bridge.capture(paymentId);
    expect(captured).toMatchObject({ status: 'paid', amountPaid: 21000 });
    await t.sandbox.flush();
    // The COMPLETED notification that follows is the same event: nothing changes.
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual([
      'new',
      'pending',
      'authorized',
      'paid',
    ]);
    expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe('COMPLETED');
  });

  it('authorizes, then cancels', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    expect((await t.bridge.cancel(paymentId)).status).toBe('failed');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('failed');
    expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe('CANCELED');
  });

  it('refunds partly, then fully; refunds finalise later with their own notification', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();

    const afterRequest = await t.bridge.refund(paymentId, { amount: 5000, reason: 'damaged' });
    expect(afterRequest).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(afterRequest.refunds).toMatchObject([{ kind: 'refund', amount: 5000, status: 'pending' }]);
    await t.sandbox.flush();
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    const partly = await t.get(paymentId);
    expect(partly).toMatchObject({ status: 'partially_refunded', amountRefunded: 5000 });
    expect(partly.refunds).toHaveLength(1);
    expect(partly.refunds[0]).toMatchObject({ status: 'succeeded', amount: 5000 });

    await t.bridge.refund(paymentId);
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    const full = await t.get(paymentId);
    expect(full).toMatchObject({ status: 'refunded', amountRefunded: 21000 });
    expect(full.refunds.map((r) => [r.amount, r.status])).toEqual([
      [5000, 'succeeded'],
      [16000, 'succeeded'],
    ]);
    // The documented refund notification carries no extRefundId: each is matched to the refund we
    // started (our id went to PayU as extRefundId), never recorded a second time under PayU's id.
    const refunds = t.refundsAtPayu(orderId);
    expect(refunds.map((r) => [r.extRefundId, r.amount, r.status])).toEqual(
      full.refunds.map((r) => [r.id, r.amount, 'FINALIZED']),
    );

    // sync pulls the same state again without changing anything.
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 21000 });
  });

  it('a refund PayU cancels is recorded failed and the money stays paid; a new refund then works', async () => {
    const t = setup({ simulator: { notifyPendingRefunds: true, refundListShape: 'array' } });
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    await t.bridge.refund(paymentId, { amount: 1000 });
    await t.sandbox.flush();
    const [refund] = t.sandbox.payu.orders().find((o) => o.id === orderId)?.refunds ?? [];
    expect(refund).toMatchObject({ amount: 1000, status: 'PENDING' });
    t.sandbox.payu.cancelRefund(refund?.id ?? '');
    await t.sandbox.flush();
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'paid', amountPaid: 21000, amountRefunded: 0 });
    expect(after.refunds).toMatchObject([{ amount: 1000, status: 'failed' }]);

    await t.bridge.refund(paymentId, { amount: 2000 });
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 2000 });
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.every((m) => m.verdict === 'verified' && m.responseStatus === 200)).toBe(true);
  });

  it('survives token expiry mid-flow with one retry on a fresh token', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    t.sandbox.payu.expireTokens();
    expect((await t.bridge.capture(paymentId)).status).toBe('paid');
    const outbound = (await t.allMessages()).filter((m) => m.direction === 'outbound');
    expect(outbound.filter((m) => m.kind === 'oauth')).toHaveLength(2);
    // The message log lists newest first: the refused call, then the retry with the fresh token.
    const captures = outbound.filter((m) => m.kind === 'capture').map((m) => m.responseStatus);
    expect(captures.sort()).toEqual([200, 401]);
  });

  it('refreshes a token that is about to expire before using it', async () => {
    const t = setup({ backend: { tokenRefreshMarginSeconds: 60 }, simulator: { tokenTtlSeconds: 600 } });
    await t.start();
    await t.sandbox.advance(541_000);
    await t.start();
    const outbound = (await t.allMessages()).filter((m) => m.direction === 'outbound');
    expect(outbound.filter((m) => m.kind === 'oauth')).toHaveLength(2);
    expect(outbound.filter((m) => m.responseStatus === 401)).toHaveLength(0);
  });

  it('never writes the secrets to the message log: client_secret, bearer tokens, second key', async () => {
    const t = setup();
    const { paymentId } = await t.paid();
    t.sandbox.payu.expireTokens();
    await t.bridge.refund(paymentId, { amount: 100 });
    const all = await t.allMessages();
    const text = JSON.stringify(all);
    expect(text).not.toContain(POS.secondKey);
    expect(text).not.toContain(POS.clientSecret);
    // Every token PayU issued (two: one expired mid-way) is remembered by the backend for redaction.
    const tokens = t.backend.secrets.filter((s) => /^[0-9a-f-]{36}$/.test(s));
    expect(tokens).toHaveLength(2);
    for (const token of tokens) expect(text).not.toContain(token);

    const oauth = all.filter((m) => m.kind === 'oauth');
    expect(oauth).toHaveLength(2);
    for (const call of oauth) {
      expect(call.body).toBe('grant_type=client_credentials&client_id=300746&client_secret=[REDACTED]');
      expect(JSON.parse(call.responseBody ?? '{}')).toMatchObject({ access_token: '[REDACTED]' });
    }
    const api = all.filter((m) => m.direction === 'outbound' && m.kind !== 'oauth');
    expect(api.map((m) => m.kind)).toEqual(expect.arrayContaining(['create-order', 'refund']));
    for (const call of api) expect(call.headers.authorization).toBe('Bearer [REDACTED]');
  });

  it('takes a refund notification without amount or extRefundId (panel-style) from PayU’s refund list', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.paid();
    await t.bridge.refund(paymentId, { amount: 7000 });
    t.sandbox.payu.faults.refundWithoutAmount = true;
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'partially_refunded', amountRefunded: 7000 });
    expect(payment.refunds.map((r) => [r.id, r.amount, r.status])).toEqual([
      [t.refundsAtPayu(orderId)[0]?.extRefundId, 7000, 'succeeded'],
    ]);
    const last = (await t.notifications(paymentId)).find((m) => m.body.includes('"refund"'));
    expect(last?.body).not.toContain('"amount"');
    expect(last).toMatchObject({ verdict: 'verified', responseStatus: 200 });
    const listed = (await t.messages(paymentId, 'outbound')).filter((m) => m.kind === 'list-refunds');
    expect(listed).toHaveLength(1);
  });

  it('confirms each notification with GET /orders/{id} when confirmNotifications is on', async () => {
    const t = setup({ backend: { confirmNotifications: true } });
    const { paymentId } = await t.paid();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    const pulls = (await t.messages(paymentId, 'outbound')).filter((m) => m.kind === 'retrieve-order');
    expect(pulls.length).toBeGreaterThanOrEqual(2);
    expect(pulls.every((m) => m.responseStatus === 200)).toBe(true);
  });
});
