import { describe, expect, it } from 'vitest';
import { TERMS_MISMATCH_KEY } from '../src/lib/subscription-outcome';
import { MONTH, SANDBOX, setup } from './support/e2e';

/**
 * Binding (DESIGN §6, issue 14): a stranger builds their own PayPal form with our payment's id in
 * `invoice`/`custom` (both come from the buyer's form) and pays, fails or subscribes with it. Their
 * messages are genuine — PayPal answers VERIFIED — but they are about another transaction.
 */
describe('PayPal binding, end to end through the sandbox', () => {
  /** The stranger submits the victim's form fields, edited, as a checkout of their own. */
  async function strangerCheckout(t: ReturnType<typeof setup>, fields: Record<string, string>, edit = {}) {
    const page = await t.sandbox.handler(
      new Request(`${SANDBOX}/paypal/cgi-bin/webscr`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, ...edit }).toString(),
      }),
    );
    expect(page.status).toBe(200);
    return page.headers.get('x-sandbox-session') as string;
  }
  const renewalsOf = async (t: ReturnType<typeof setup>, paymentId: string) =>
    (await t.store.listPayments({ limit: 50 })).items.filter((p) => p.parentPaymentId === paymentId);
  const marks = (brokerData: Record<string, unknown>) =>
    Object.keys(brokerData).filter((key) => key.startsWith(TERMS_MISMATCH_KEY));

  it('issue 14 item 1: a second subscription naming the payment can neither take over, re-term, refuse renewals nor end it', async () => {
    const t = setup();
    const victim = await t.start('sub-');
    await t.sandbox.paypal.act(victim.session, 'pay');
    await t.sandbox.flush();
    const bound = (await t.get(victim.paymentId)).subscription;
    expect(bound).toMatchObject({ status: 'active' });
    const victimSubscr = bound?.id as string;

    // The stranger's own subscription on the victim's invoice, with a €0.00 trial; then it ends.
    const session = await strangerCheckout(t, victim.fields, { a1: '0.00', p1: '1', t1: 'M' });
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const stranger = t.sandbox.paypal.subscriptions().find((s) => s.subscrId !== victimSubscr);
    expect(stranger).toBeTruthy();
    const strangerSubscr = stranger?.subscrId as string;
    t.sandbox.paypal.modifySubscription(strangerSubscr, { amount: '0.01' });
    t.sandbox.paypal.cancelSubscription(strangerSubscr);
    t.sandbox.paypal.endSubscription(strangerSubscr);
    await t.sandbox.flush();

    let payment = await t.get(victim.paymentId);
    expect(payment.subscription).toMatchObject({ id: victimSubscr, status: 'active' });
    expect(marks(payment.brokerData)).toEqual([]);
    expect(t.anomalies.length).toBeGreaterThanOrEqual(4);
    expect(new Set(t.anomalies)).toEqual(new Set(['OTHER_TRANSACTION']));

    // The victim's genuine renewals are still credited.
    const before = (await renewalsOf(t, victim.paymentId)).filter((r) => r.status === 'paid').length;
    await t.sandbox.advance(MONTH);
    const after = (await renewalsOf(t, victim.paymentId)).filter((r) => r.status === 'paid');
    expect(after.length).toBe(before + 1);
    for (const renewal of after) expect(renewal.externalId).not.toBeNull();
    payment = await t.get(victim.paymentId);
    expect(payment.subscription).toMatchObject({ id: victimSubscr, status: 'active' });
  });

  it('issue 14 item 1: a stranger’s tampered signup arriving first marks only its own subscription', async () => {
    const t = setup();
    const victim = await t.start('sub-');
    // The stranger is quicker: a €0.00-trial subscription on the victim's invoice.
    const session = await strangerCheckout(t, victim.fields, { a1: '0.00', p1: '1', t1: 'Y' });
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect(marks((await t.get(victim.paymentId)).brokerData)).toHaveLength(1);
    expect((await t.get(victim.paymentId)).subscription).toBeNull();

    await t.sandbox.paypal.act(victim.session, 'pay');
    await t.sandbox.flush();
    await t.sandbox.advance(MONTH);
    const payment = await t.get(victim.paymentId);
    const victimSubscr = payment.subscription?.id as string;
    expect(payment.subscription).toMatchObject({ status: 'active' });
    expect(marks(payment.brokerData)).not.toContain(`${TERMS_MISMATCH_KEY}:${victimSubscr}`);
    // Both of the victim's payments so far are credited.
    const credited = (await renewalsOf(t, victim.paymentId)).filter(
      (r) => r.status === 'paid' && r.subscription?.id !== undefined,
    );
    expect(credited.length).toBeGreaterThanOrEqual(2);
  });

  it('issue 14 item 2: a failure for another txn_id never fails the bound payment', async () => {
    const t = setup();
    const declined: string[] = [];
    t.bridge.on('payment.declined', ({ payment }) => {
      declined.push(payment.id);
    });
    // Unpaid: a stranger's checkout on the victim's invoice, refused at PayPal.
    const victim = await t.start();
    for (const action of ['fail', 'deny'] as const) {
      await t.sandbox.paypal.act(await strangerCheckout(t, victim.fields), action);
      await t.sandbox.flush();
    }
    expect((await t.get(victim.paymentId)).status).not.toBe('failed');
    // The victim can still pay: that transaction binds the payment.
    await t.sandbox.paypal.act(victim.session, 'pay');
    await t.sandbox.flush();
    const paid = await t.get(victim.paymentId);
    const completed = t.sandbox.paypal
      .transactions()
      .filter((txn) => txn.invoice === victim.paymentId && txn.status === 'Completed');
    expect(completed).toHaveLength(1);
    expect(paid).toMatchObject({ status: 'paid', externalId: completed[0]?.txnId });

    // Paid: another stranger's refused checkout changes nothing either.
    await t.sandbox.paypal.act(await strangerCheckout(t, victim.fields), 'fail');
    await t.sandbox.flush();
    expect(await t.get(victim.paymentId)).toMatchObject({ status: 'paid', externalId: paid.externalId });
    expect(declined).toEqual([]);
    const reported = (await t.notifications()).filter((m) => m.detail?.includes('another attempt: failed'));
    expect(reported).toHaveLength(3);
  });
});
