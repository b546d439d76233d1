import { createPaybridge, memoryStore, type Payment, silentLogger } from '@paybridge/core';
import { createSandbox, manualClock, type PaypalSimulatorOptions } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { type PaypalSettings, paypal } from './paypal';

/**
 * End to end, in process: the bridge's outbound fetch (the IPN postback) goes to the sandbox's handler,
 * the sandbox's IPNs go to the bridge's handler. The PayPal simulator is a black box driven through its
 * test contract (session header, act(), controls, faults, introspection).
 */
const SHOP = 'https://shop.test/pay';
const SANDBOX = 'http://sandbox.test';
const MONTH = 31 * 24 * 3600 * 1000;

/** Like a real fetch: the call is abandoned when its signal aborts (the in-process handler would not). */
function abortable(handler: (request: Request) => Promise<Response>): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    const signal = init?.signal ?? null;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      handler(request).then(resolve, reject);
    });
  };
}

function setup(options: { simulator?: PaypalSimulatorOptions; backend?: Partial<PaypalSettings> } = {}) {
  const clock = manualClock(Date.UTC(2026, 10, 20, 12, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => handle.bridge!.handler(request, { clientIp: '173.0.82.126' }),
    ...(options.simulator ? { paypal: options.simulator } : {}),
  });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    testMode: true,
    backends: [
      paypal({
        business: 'merchant@example.com',
        receiverId: 'MERCHANT12345',
        receiverEmails: ['merchant@example.com'],
        endpoint: `${SANDBOX}/paypal`,
        postbackTimeoutMs: 200,
        postbackAttempts: 1,
        ...options.backend,
      }),
    ],
    store,
    logger: silentLogger,
    fetch: abortable((request) => sandbox.handler(request)),
    now: () => new Date(clock.now()),
    orders: {
      resolve: (orderId) => ({
        amount: orderId.startsWith('jpy-') ? 1500 : 1999,
        currency: orderId.startsWith('jpy-') ? 'JPY' : 'EUR',
        description: `Order ${orderId}`,
        successUrl: 'https://shop.test/thanks',
        failureUrl: 'https://shop.test/sorry',
        ...(orderId.startsWith('sub-') ? { recurrence: { interval: 'month' as const, every: 1 } } : {}),
      }),
    },
  });
  handle.bridge = bridge;

  let orders = 0;
  /** Start a payment, submit the auto-submitted form to PayPal; returns our payment id and the session. */
  async function start(prefix = 'order-') {
    orders += 1;
    const response = await bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'paypal', orderId: `${prefix}${orders}` }),
      }),
    );
    expect(response.status).toBe(200);
    const { payment, redirect } = (await response.json()) as {
      payment: { id: string };
      redirect: { method: string; url: string; fields: Record<string, string> };
    };
    expect(redirect).toMatchObject({ method: 'POST', url: `${SANDBOX}/paypal/cgi-bin/webscr` });
    const page = await sandbox.handler(
      new Request(redirect.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(redirect.fields).toString(),
      }),
    );
    expect(page.status).toBe(200);
    const session = page.headers.get('x-sandbox-session');
    expect(session).toBeTruthy();
    return { paymentId: payment.id, session: session as string, fields: redirect.fields };
  }

  const get = async (id: string) => (await bridge.getPayment(id)) as Payment;
  const txnOf = (paymentId: string) => {
    const txn = sandbox.paypal.transactions().find((t) => t.invoice === paymentId && !t.parentTxnId);
    if (!txn) throw new Error(`no PayPal transaction for ${paymentId}`);
    return txn.txnId;
  };
  const notifications = async () =>
    (await store.listMessages({ direction: 'inbound', limit: 500 })).items.filter(
      (m) => m.kind === 'notification',
    );
  const anomalies: string[] = [];
  bridge.on('payment.anomaly', ({ anomaly }) => {
    anomalies.push(anomaly.code);
  });
  return { sandbox, bridge, store, clock, start, get, txnOf, notifications, anomalies };
}

const zoe = { buyer: { firstName: 'Zoë', lastName: 'Ærøskøbing', email: 'zoe+shop@example.net' } };

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

  it('pending → denied fails the payment; deny at checkout too', async () => {
    const t = setup();
    const first = await t.start();
    await t.sandbox.paypal.act(first.session, 'pending');
    await t.sandbox.flush();
    t.sandbox.paypal.denyPending(t.txnOf(first.paymentId));
    await t.sandbox.flush();
    expect((await t.get(first.paymentId)).status).toBe('failed');
    for (const action of ['deny', 'fail'] as const) {
      const next = await t.start();
      await t.sandbox.paypal.act(next.session, action);
      await t.sandbox.flush();
      expect((await t.get(next.paymentId)).status).toBe('failed');
    }
  });

  it('refunds partly then fully', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const txnId = t.txnOf(paymentId);
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

describe('PayPal faults end to end', () => {
  it('duplicates apply once', async () => {
    const t = setup();
    t.sandbox.paypal.faults.duplicate = 2;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect((await t.notifications()).length).toBeGreaterThanOrEqual(3);
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'paid']);
  });

  it('a late Pending after Completed (reorder) does not downgrade', async () => {
    const t = setup();
    t.sandbox.paypal.faults.reorder = true;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pending');
    t.sandbox.paypal.completePending(t.txnOf(paymentId));
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('a subscr_payment before its subscr_signup (reorder) still makes one linked payment', async () => {
    const t = setup();
    t.sandbox.paypal.faults.reorder = true;
    const { paymentId, session } = await t.start('sub-');
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const received = (await t.notifications()).reverse().map((m) => /txn_type=(\w+)/.exec(m.body)?.[1]);
    expect(received).toEqual(['subscr_payment', 'subscr_signup']);
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'active' });
    const renewals = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p) => p.parentPaymentId === paymentId,
    );
    expect(renewals).toMatchObject([{ status: 'paid', amountPaid: 1999 }]);
  });

  it('a delayed IPN arrives when the clock reaches it', async () => {
    const t = setup();
    t.sandbox.paypal.faults.delayMs = 60_000;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    await t.sandbox.advance(60_000);
    expect((await t.get(paymentId)).status).toBe('paid');
  });

  it('a manual re-send from IPN History (resend=true) applies once', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    t.sandbox.paypal.resendIpn(t.sandbox.paypal.ipns()[0]?.ipnTrackId as string);
    await t.sandbox.flush();
    expect(t.sandbox.paypal.ipns()).toHaveLength(2);
    expect(t.sandbox.paypal.ipns()[1]?.fields).toContainEqual(['resend', 'true']);
    expect((await t.notifications()).map((m) => m.verdict)).toEqual(['verified', 'verified']);
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'paid']);
  });

  it('an INVALID postback changes nothing, is an anomaly and is acknowledged', async () => {
    const t = setup();
    t.sandbox.paypal.faults.postback = 'INVALID';
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    const [inbound] = await t.notifications();
    expect(inbound).toMatchObject({ verdict: 'rejected', responseStatus: 200 });
    expect(t.anomalies).toEqual(['VERIFICATION_FAILED']);
    // A 200 stops PayPal: re-sending an INVALID message cannot make it right.
    expect(t.sandbox.paypal.ipns()[0]?.state).toBe('delivered');
  });

  it.each(['timeout', 'error500', 'error400', 'fatal-html'] as const)(
    'a %s postback answers non-200, and PayPal’s retry is verified later',
    async (fault) => {
      const t = setup();
      t.sandbox.paypal.faults.postback = fault;
      t.sandbox.paypal.faults.postbackHangMs = 2_000;
      const { paymentId, session } = await t.start();
      await t.sandbox.paypal.act(session, 'pay');
      await t.sandbox.flush();
      expect((await t.get(paymentId)).status).toBe('new');
      const [first] = await t.notifications();
      expect(first).toMatchObject({ verdict: 'retry' });
      expect(first?.responseStatus).not.toBe(200);
      t.sandbox.paypal.faults.postback = 'normal';
      await t.sandbox.advance(10_000);
      expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    },
  );

  it.each([
    [{ mc_gross: '0.01' }, 'AMOUNT_MISMATCH'],
    [{ mc_currency: 'USD' }, 'CURRENCY_MISMATCH'],
    [{ receiver_email: 'thief@example.com' }, 'RECEIVER_MISMATCH'],
    [{ receiver_id: 'THIEF12345678' }, 'RECEIVER_MISMATCH'],
  ])('a VERIFIED IPN tampered with %o is an anomaly (%s), never paid', async (tamper, code) => {
    const t = setup();
    t.sandbox.paypal.faults.tamper = tamper;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    expect(t.anomalies).toContain(code);
    const [inbound] = await t.notifications();
    expect(inbound).toMatchObject({ verdict: 'rejected', responseStatus: 200 });
  });

  it('a sandbox IPN (test_ipn=1) on a live configuration is refused without a postback', async () => {
    const t = setup({ backend: { testMode: false } });
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect(t.sandbox.paypal.ipns()[0]?.fields).toContainEqual(['test_ipn', '1']);
    expect((await t.get(paymentId)).status).toBe('new');
    expect(t.anomalies).toEqual(['ENVIRONMENT_MISMATCH']);
    const outbound = (await t.store.listMessages({ direction: 'outbound', limit: 50 })).items;
    expect(outbound.filter((m) => m.kind === 'ipn-postback')).toHaveLength(0);
  });

  it('a live IPN on a test configuration is refused', async () => {
    const t = setup({ simulator: { mode: 'live' } });
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    expect(t.anomalies).toContain('ENVIRONMENT_MISMATCH');
  });
});
