import { describe, expect, it } from 'vitest';
import type { PaypalSimulatorOptions, Sandbox } from '../src/index';
import { fieldsOf, openCheckout, SUBSCRIBE, setup } from '../src/paypal/test-kit';
import { nvp } from './paypal-nvp-kit';
import { setup as httpSetup } from './support';

const DAY = 24 * 3600 * 1000;

async function subscribe(sandbox: Sandbox, vars: Record<string, string> = SUBSCRIBE): Promise<string> {
  const { sessionId } = await openCheckout(sandbox, vars);
  await sandbox.paypal.act(sessionId, 'pay');
  const subscrId = sandbox.paypal.subscriptions().at(-1)?.subscrId;
  if (!subscrId) throw new Error('no subscription');
  return subscrId;
}

async function start(options?: PaypalSimulatorOptions) {
  const kit = setup(options);
  const subscrId = await subscribe(kit.sandbox);
  await kit.sandbox.flush();
  kit.received.length = 0;
  const ipnTypes = () => kit.received.map((call) => fieldsOf(call.text).txn_type);
  return { ...kit, subscrId, ipnTypes };
}

const manage = (PROFILEID: string, ACTION: string) => ({
  METHOD: 'ManageRecurringPaymentsProfileStatus',
  PROFILEID,
  ACTION,
});
const details = (PROFILEID: string) => ({ METHOD: 'GetRecurringPaymentsProfileDetails', PROFILEID });

describe('ManageRecurringPaymentsProfileStatus / GetRecurringPaymentsProfileDetails (paypal-api.md §7)', () => {
  it('describes an active I- profile from the book and the ledger', async () => {
    const { sandbox, subscrId } = await start();
    expect(subscrId).toMatch(/^I-[A-Z0-9]{12}$/);
    const answer = await nvp(sandbox, details(subscrId));
    expect(answer.fields).toMatchObject({
      ACK: 'Success',
      PROFILEID: subscrId,
      STATUS: 'Active',
      DESC: 'Monthly box',
      PROFILEREFERENCE: 'SUB-1',
      NUMCYCLESCOMPLETED: '1',
      OUTSTANDINGBALANCE: '0.00',
      FAILEDPAYMENTCOUNT: '0',
      LASTPAYMENTAMT: '9.99',
      BILLINGPERIOD: 'Month',
      BILLINGFREQUENCY: '1',
      AMT: '9.99',
      CURRENCYCODE: 'EUR',
    });
    const next = sandbox.paypal.subscriptions()[0]?.cycleEndsAt ?? 0;
    expect(answer.fields.NEXTBILLINGDATE).toBe(new Date(next).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    // The payment points at its profile in GetTransactionDetails, and TransactionSearch finds it by PROFILEID.
    const payment = sandbox.paypal.transactions().find((tx) => tx.subscrId === subscrId);
    const txn = await nvp(sandbox, { METHOD: 'GetTransactionDetails', TRANSACTIONID: payment?.txnId ?? '' });
    expect(txn.fields).toMatchObject({ SUBSCRIPTIONID: subscrId, TRANSACTIONTYPE: 'subscrpayment' });
    const search = await nvp(sandbox, {
      METHOD: 'TransactionSearch',
      STARTDATE: '2000-01-01T00:00:00Z',
      PROFILEID: subscrId,
    });
    expect(search.fields).toMatchObject({ L_TRANSACTIONID0: payment?.txnId, L_TYPE0: 'Recurring Payment' });
  });

  it('Cancel: subscr_cancel now, Cancelled in the details, 11556 on a second cancel, subscr_eot at term end', async () => {
    const { sandbox, subscrId, ipnTypes } = await start();
    const answer = await nvp(sandbox, manage(subscrId, 'Cancel'));
    expect(answer.fields).toMatchObject({ ACK: 'Success', PROFILEID: subscrId });
    await sandbox.flush();
    expect(ipnTypes()).toEqual(['subscr_cancel']);
    expect((await nvp(sandbox, details(subscrId))).fields.STATUS).toBe('Cancelled');
    const again = await nvp(sandbox, manage(subscrId, 'Cancel'));
    expect(again.fields).toMatchObject({ ACK: 'Failure', L_ERRORCODE0: '11556' });
    await sandbox.advance(32 * DAY);
    expect(ipnTypes()).toEqual(['subscr_cancel', 'subscr_eot']);
    expect((await nvp(sandbox, details(subscrId))).fields.STATUS).toBe('Cancelled');
  });

  it('profileCancelIpn chooses the cancellation IPN family (both, or recurring_payment_profile_cancel)', async () => {
    const both = await start({ profileCancelIpn: 'both' });
    await nvp(both.sandbox, manage(both.subscrId, 'Cancel'));
    await both.sandbox.flush();
    expect(both.ipnTypes()).toEqual(['subscr_cancel', 'recurring_payment_profile_cancel']);
    const profile = await start({ profileCancelIpn: 'recurring_payment_profile_cancel' });
    await nvp(profile.sandbox, manage(profile.subscrId, 'Cancel'));
    await profile.sandbox.flush();
    expect(profile.ipnTypes()).toEqual(['recurring_payment_profile_cancel']);
    const ipn = fieldsOf(profile.received[0]?.text ?? '');
    expect(ipn).toMatchObject({ recurring_payment_id: profile.subscrId, profile_status: 'Cancelled' });
    expect(ipn.subscr_id).toBeUndefined();
  });

  it('Suspend stops renewals (recurring_payment_suspended); Reactivate resumes without charging the missed cycles', async () => {
    const { sandbox, subscrId, ipnTypes, received } = await start();
    expect((await nvp(sandbox, manage(subscrId, 'Suspend'))).fields.ACK).toBe('Success');
    await sandbox.flush();
    expect(ipnTypes()).toEqual(['recurring_payment_suspended']);
    expect(fieldsOf(received[0]?.text ?? '')).toMatchObject({
      recurring_payment_id: subscrId,
      profile_status: 'Suspended',
      next_payment_date: 'N/A',
    });
    expect((await nvp(sandbox, manage(subscrId, 'Suspend'))).fields.L_ERRORCODE0).toBe('11557');
    await sandbox.advance(70 * DAY);
    expect(ipnTypes()).toEqual(['recurring_payment_suspended']);
    expect((await nvp(sandbox, details(subscrId))).fields).toMatchObject({ STATUS: 'Suspended' });
    expect((await nvp(sandbox, manage(subscrId, 'Reactivate'))).fields.ACK).toBe('Success');
    expect((await nvp(sandbox, manage(subscrId, 'Reactivate'))).fields.L_ERRORCODE0).toBe('11558');
    const active = await nvp(sandbox, details(subscrId));
    expect(active.fields.STATUS).toBe('Active');
    expect(Date.parse(active.fields.NEXTBILLINGDATE ?? '')).toBeGreaterThan(sandbox.clock.now());
    expect(active.fields.NUMCYCLESCOMPLETED).toBe('1');
    await sandbox.advance(31 * DAY);
    expect(ipnTypes()).toEqual(['recurring_payment_suspended', 'subscr_payment']);
  });

  it('Cancel works on a suspended profile', async () => {
    const { sandbox, subscrId } = await start();
    await nvp(sandbox, manage(subscrId, 'Suspend'));
    expect((await nvp(sandbox, manage(subscrId, 'Cancel'))).fields.ACK).toBe('Success');
    expect(sandbox.paypal.subscriptions()[0]?.status).toBe('cancelled');
  });

  it('refuses a missing (11551), unknown or other account’s (11552) profile and an invalid action (11553)', async () => {
    const kit = setup({
      accounts: [
        { business: 'merchant@example.com', receiverId: 'MERCHANT12345' },
        { business: 'other@example.com', receiverId: 'OTHERMERCHANT' },
      ],
    });
    const theirs = await subscribe(kit.sandbox, { ...SUBSCRIBE, business: 'other@example.com' });
    const mine = await subscribe(kit.sandbox);
    const cases: Array<[Record<string, string>, string]> = [
      [manage('', 'Cancel'), '11551'],
      [manage('I-000000000000', 'Cancel'), '11552'],
      [manage(theirs, 'Cancel'), '11552'],
      [details(theirs), '11552'],
      [manage(mine, 'Pause'), '11553'],
      [manage(mine, ''), '11553'],
    ];
    for (const [request, code] of cases) {
      expect([request, (await nvp(kit.sandbox, request)).fields.L_ERRORCODE0]).toEqual([request, code]);
    }
    expect(kit.sandbox.paypal.subscriptions().map((s) => s.status)).toEqual(['active', 'active']);
  });
});

describe('recurring_payment_* IPNs as controls (paypal-api.md §8)', () => {
  it('skipped and failed keep the profile Active and count the failure and the outstanding balance', async () => {
    const { sandbox, subscrId, ipnTypes, received } = await start();
    sandbox.paypal.recurringPaymentEvent(subscrId, 'skipped');
    sandbox.paypal.recurringPaymentEvent(subscrId, 'failed');
    await sandbox.flush();
    expect(ipnTypes()).toEqual(['recurring_payment_skipped', 'recurring_payment_failed']);
    expect(fieldsOf(received[1]?.text ?? '')).toMatchObject({
      recurring_payment_id: subscrId,
      profile_status: 'Active',
      outstanding_balance: '19.98',
      amount_per_cycle: '9.99',
      payment_cycle: 'Monthly',
      rp_invoice_id: 'SUB-1',
    });
    expect((await nvp(sandbox, details(subscrId))).fields).toMatchObject({
      STATUS: 'Active',
      FAILEDPAYMENTCOUNT: '2',
      OUTSTANDINGBALANCE: '19.98',
    });
  });

  it('suspended_due_to_max_failed_payment suspends (not cancels); the merchant can then cancel by API', async () => {
    const { sandbox, subscrId, ipnTypes } = await start();
    sandbox.paypal.recurringPaymentEvent(subscrId, 'suspended_due_to_max_failed_payment');
    await sandbox.flush();
    expect(ipnTypes()).toEqual(['recurring_payment_suspended_due_to_max_failed_payment']);
    expect((await nvp(sandbox, details(subscrId))).fields.STATUS).toBe('Suspended');
    expect(() => sandbox.paypal.recurringPaymentEvent(subscrId, 'skipped')).toThrow(/suspended/);
    expect((await nvp(sandbox, manage(subscrId, 'Cancel'))).fields.ACK).toBe('Success');
  });

  it('profile_cancel over the control route sends recurring_payment_profile_cancel and cancels', async () => {
    const { control, sandbox, form } = httpSetup();
    const page = await form('/paypal/cgi-bin/webscr', {
      ...SUBSCRIBE,
      notify_url: 'https://shop.test/notify/paypal',
    });
    const sessionId = page.headers.get('x-sandbox-session') ?? '';
    await sandbox.paypal.act(sessionId, 'pay');
    const subscrId = sandbox.paypal.subscriptions()[0]?.subscrId ?? '';
    const answer = await control('POST', '/paypal/subscriptions/recurring', {
      subscrId,
      event: 'profile_cancel',
    });
    expect(answer.status).toBe(200);
    expect(answer.json.subscriptions[0]).toMatchObject({ subscrId, status: 'cancelled' });
    expect(sandbox.paypal.ipns().at(-1)?.txnType).toBe('recurring_payment_profile_cancel');
    const bad = await control('POST', '/paypal/subscriptions/recurring', { subscrId, event: 'exploded' });
    expect(bad.status).toBe(400);
    const again = await control('POST', '/paypal/subscriptions/recurring', {
      subscrId,
      event: 'profile_cancel',
    });
    expect(again.status).toBe(409);
  });
});
