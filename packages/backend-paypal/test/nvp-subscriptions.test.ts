import type { NotificationOutcome, Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { paypal } from '../src/paypal';
import { encodeIpn, ipnRequest, testContext, testPayment, webAcceptIpn } from './support/fixtures';

/** recurring_payment_* IPNs of Standard I- subscriptions, and the API cancel of a subscription. */
const API = {
  username: 'api_user',
  password: 'PWD-secret',
  signature: 'SIG-secret',
  endpoint: 'https://nvp.test/nvp',
};
const backend = paypal({
  business: 'merchant@example.com',
  receiverId: 'MERCHANT12345',
  receiverEmails: ['merchant@example.com'],
  api: API,
});
const PROFILE = 'I-ABCDEFGHIJKL';
const bound = testPayment({
  recurrence: { interval: 'month', every: 1 },
  subscription: { id: PROFILE, status: 'active' } as Payment['subscription'],
});

const profileIpn = (txnType: string, extra: Record<string, string | null> = {}) =>
  webAcceptIpn({
    txn_type: txnType,
    recurring_payment_id: PROFILE,
    profile_status: 'Suspended',
    payment_status: null,
    txn_id: null,
    mc_gross: null,
    receiver_id: null,
    ...extra,
  });

async function notify(pairs: Array<[string, string]>, payments: Payment[]) {
  return backend.handleNotification(ipnRequest(encodeIpn(pairs)), testContext(payments));
}
const facts = (outcome: NotificationOutcome) =>
  outcome.verdict === 'verified' ? outcome.updates.flatMap((u) => u.facts) : outcome;

describe('recurring_payment_* IPNs', () => {
  it.each([
    ['recurring_payment_profile_cancel', 'cancelled'],
    ['recurring_payment_suspended_due_to_max_failed_payment', 'suspended'],
    ['recurring_payment_suspended', 'suspended'],
    ['recurring_payment_skipped', 'payment_failed'],
    ['recurring_payment_failed', 'payment_failed'],
    ['recurring_payment_expired', 'ended'],
  ])('%s → subscription %s of the bound profile', async (txnType, event) => {
    expect(facts(await notify(profileIpn(txnType), [bound]))).toEqual([
      expect.objectContaining({
        type: 'subscription',
        event,
        subscriptionId: PROFILE,
        data: expect.objectContaining({ txnType, profile_status: 'Suspended' }),
      }),
    ]);
  });

  it('another profile naming the payment changes nothing (binding)', async () => {
    const outcome = await notify(
      profileIpn('recurring_payment_profile_cancel', { recurring_payment_id: 'I-STRANGER0000' }),
      [bound],
    );
    expect(outcome).toMatchObject({ verdict: 'rejected', code: 'OTHER_TRANSACTION' });
  });

  it('a message naming no profile, or paid to someone else, is refused', async () => {
    expect(
      await notify(profileIpn('recurring_payment_skipped', { recurring_payment_id: null }), [bound]),
    ).toMatchObject({ verdict: 'rejected', code: 'MALFORMED_NOTIFICATION' });
    expect(
      await notify(profileIpn('recurring_payment_skipped', { receiver_email: 'thief@example.com' }), [bound]),
    ).toMatchObject({ verdict: 'rejected', code: 'RECEIVER_MISMATCH' });
  });
});

describe('cancelSubscription (ManageRecurringPaymentsProfileStatus)', () => {
  const peer = (answer: Record<string, string>) => {
    const sent: URLSearchParams[] = [];
    const fetch = async (_url: string, init: RequestInit) => {
      sent.push(new URLSearchParams(String(init.body)));
      return new Response(new URLSearchParams({ CORRELATIONID: 'abc123', ...answer }).toString());
    };
    return { sent, fetch };
  };

  it('cancels the bound I- profile', async () => {
    const { sent, fetch } = peer({ ACK: 'Success', PROFILEID: PROFILE });
    expect(await backend.cancelSubscription(bound, { fetch, testMode: true }, 'Closed account')).toEqual({
      profileId: PROFILE,
      alreadyInactive: false,
      correlationId: 'abc123',
    });
    expect(Object.fromEntries(sent[0] as URLSearchParams)).toMatchObject({
      METHOD: 'ManageRecurringPaymentsProfileStatus',
      PROFILEID: PROFILE,
      ACTION: 'Cancel',
      NOTE: 'Closed account',
      SIGNATURE: 'SIG-secret',
    });
  });

  it('11556 (not active or suspended any more) counts as done; 11552 is an error with its code', async () => {
    const inactive = peer({
      ACK: 'Failure',
      L_ERRORCODE0: '11556',
      L_LONGMESSAGE0: 'Invalid profile status',
    });
    expect(await backend.cancelSubscription(bound, { fetch: inactive.fetch })).toMatchObject({
      alreadyInactive: true,
    });
    const invalid = peer({ ACK: 'Failure', L_ERRORCODE0: '11552', L_LONGMESSAGE0: 'Invalid profile ID' });
    await expect(backend.cancelSubscription(bound, { fetch: invalid.fetch })).rejects.toMatchObject({
      code: 'BROKER_ERROR',
      details: { errorCodes: ['11552'] },
    });
  });

  it('refuses without credentials, an S- subscription, or a payment with no subscription', async () => {
    const { fetch } = peer({ ACK: 'Success' });
    await expect(
      paypal({ business: 'merchant@example.com' }).cancelSubscription(bound, { fetch }),
    ).rejects.toMatchObject({ code: 'CAPABILITY_NOT_SUPPORTED' });
    const legacy = testPayment({
      recurrence: { interval: 'month', every: 1 },
      subscription: { id: 'S-1234567890', status: 'active' } as Payment['subscription'],
    });
    await expect(backend.cancelSubscription(legacy, { fetch })).rejects.toMatchObject({
      code: 'CAPABILITY_NOT_SUPPORTED',
    });
    await expect(backend.cancelSubscription(testPayment(), { fetch })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });
});
