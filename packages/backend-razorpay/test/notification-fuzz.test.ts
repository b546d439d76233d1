import type { NotificationContext } from '@paybridge/core';
import { silentLogger } from '@paybridge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { razorpay } from '../src/index';
import { SHOP, setup, WEBHOOK_SECRET } from './support/e2e';
import { eventJson, sign } from './support/events';

/**
 * Properties of the notification parser: any bytes and headers are answered without throwing and
 * never verified without the right signature; a genuinely signed event of any shape about another
 * link never changes a payment and is never answered 5xx.
 */
const backend = razorpay({ keyId: 'rzp_test_Fuzz1', keySecret: 'k', webhookSecret: WEBHOOK_SECRET });
const ctx: NotificationContext = {
  testMode: true,
  endpoint: 'http://razorpay.invalid',
  baseUrl: SHOP,
  notifyUrl: `${SHOP}/notify/razorpay`,
  returnUrl: (id) => `${SHOP}/return/razorpay/${id}`,
  clientIp: null,
  fetch: async () => {
    throw new Error('no outbound call expected');
  },
  now: () => new Date(),
  logger: silentLogger,
  getPayment: async () => null,
  findPaymentByExternalId: async () => null,
};

const message = (body: Uint8Array, headers: Record<string, string>) => ({
  method: 'POST',
  url: `${SHOP}/notify/razorpay`,
  headers: new Headers(headers),
  body,
  clientIp: null,
  receivedAt: new Date(),
});

const headerValue = fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s));

describe('Razorpay notification parser (fuzz)', () => {
  it('any bytes with any signature header: answered, never thrown, never verified', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), headerValue, async (body, signature) => {
        const outcome = await backend.handleNotification(
          message(body, { 'x-razorpay-signature': signature }),
          ctx,
        );
        expect(outcome.verdict).toBe('rejected');
        if (outcome.verdict === 'rejected') expect(outcome.ack.status).toBe(400);
      }),
      { numRuns: 300 },
    );
  });

  it('any JSON signed with the right secret: never thrown, never 5xx, no verdict without a known payment', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const text = JSON.stringify(value) ?? 'null';
        const outcome = await backend.handleNotification(
          message(new TextEncoder().encode(text), { 'x-razorpay-signature': sign(WEBHOOK_SECRET, text) }),
          ctx,
        );
        if (outcome.verdict === 'verified') expect(outcome.updates).toEqual([]);
        else expect(outcome.ack?.status ?? 503).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  const status = fc.constantFrom(
    'created',
    'paid',
    'partially_paid',
    'expired',
    'cancelled',
    'captured',
    'authorized',
    'failed',
    'processed',
    'pending',
    'refunded',
  );
  const amount = fc.oneof(fc.integer({ min: -10, max: 1_000_000 }), fc.double(), fc.constant(49_900));
  const eventName = fc.constantFrom(
    'payment_link.paid',
    'payment_link.cancelled',
    'payment_link.expired',
    'payment.captured',
    'payment.authorized',
    'payment.failed',
    'order.paid',
    'refund.processed',
    'refund.failed',
    'payment.dispute.created',
  );

  it('signed events of any shape about other links never fail, expire, refund or rebind a payment', async () => {
    const e2e = setup({ simulator: { faults: { dropWebhooks: true } } });
    const open = await e2e.start();
    const paid = await e2e.paid();
    await e2e.bridge.sync(paid.paymentId);
    const snapshot = async () =>
      [await e2e.get(open.paymentId), await e2e.get(paid.paymentId)].map((p) => [
        p.status,
        p.amountPaid,
        p.amountRefunded,
        p.externalId,
      ]);
    const before = await snapshot();
    expect(before[1]?.[0]).toBe('paid');
    await fc.assert(
      fc.asyncProperty(
        eventName,
        status,
        status,
        amount,
        fc.constantFrom(open.paymentId, paid.paymentId),
        fc.string({ maxLength: 12 }),
        async (name, state, entryState, value, named, suffix) => {
          const entity = {
            id: `plink_Other${suffix.replace(/[^A-Za-z0-9]/g, '')}`,
            status: state,
            amount: value,
            amount_paid: value,
            currency: 'INR',
            reference_id: named,
            notes: { paybridge_payment_id: named },
            payments: [{ payment_id: 'pay_Other1', amount: value, status: entryState }],
          };
          const payment = {
            id: 'pay_Other1',
            amount: value,
            currency: 'INR',
            status: state,
            order_id: 'order_Other1',
            notes: { paybridge_payment_id: named },
          };
          const refund = {
            id: 'rfnd_Other1',
            amount: value,
            currency: 'INR',
            payment_id: 'pay_Other1',
            status: state,
            notes: {},
          };
          const body = eventJson(name, { payment_link: entity, payment, refund });
          const response = await e2e.bridge.handler(
            new Request(`${SHOP}/notify/razorpay`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'x-razorpay-signature': sign(WEBHOOK_SECRET, body),
              },
              body,
            }),
          );
          expect(response.status).toBeLessThan(500);
          // Another link may add money (DESIGN §6), never take the payment's status, refunds or binding.
          // The one refund it may cause is of money another link added earlier in this run (a capture
          // recorded on the payment, then refunded at Razorpay): the bound link's money stays.
          const after = await snapshot();
          for (const [i, row] of after.entries()) {
            const [statusBefore, paidBefore, refundedBefore, bound] = before[i] as [
              string,
              number,
              number,
              string,
            ];
            const [statusAfter, paidAfter, refundedAfter, boundAfter] = row as [
              string,
              number,
              number,
              string,
            ];
            const added = paidAfter - paidBefore;
            expect(added).toBeGreaterThanOrEqual(0);
            expect(refundedAfter - refundedBefore).toBeGreaterThanOrEqual(0);
            expect(refundedAfter - refundedBefore).toBeLessThanOrEqual(added);
            expect(boundAfter).toBe(bound);
            if (statusBefore === 'paid') expect(statusAfter).toBe('paid');
            expect(['failed', 'expired']).not.toContain(statusAfter);
            if (added === 0) expect(['refunded', 'partially_refunded']).not.toContain(statusAfter);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
