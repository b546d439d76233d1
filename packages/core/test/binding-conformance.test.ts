import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import { type BindingFixture, checkBinding } from '../src/testing/binding-conformance';
import type { Payment } from '../src/types';
import { fakeBroker, notification } from './support/pipeline';

/** The kit's binding check, run against the pipeline tests' signed-JSON broker. */
const fixture = (sign = true): BindingFixture => ({
  paid: (payment: Payment) =>
    notification({
      paymentId: payment.id,
      id: 'T-OWN',
      status: 'PAID',
      amount: payment.amount,
      currency: 'EUR',
    }),
  otherFailed: (payment: Payment) =>
    notification(
      { paymentId: payment.id, id: 'T-OTHER', status: 'FAILED', amount: payment.amount, currency: 'EUR' },
      sign,
    ),
});

const run = (backend: PaymentBackend, scenario: 'unpaid' | 'paid', sign = true) =>
  checkBinding({ backend, fixture: fixture(sign), currency: 'EUR', amount: 1500, scenario });

describe('backend conformance kit: the binding check', () => {
  it('passes a backend that names each message’s transaction', async () => {
    await expect(run(fakeBroker({ transactionIds: true }), 'unpaid')).resolves.toBeUndefined();
    await expect(run(fakeBroker({ transactionIds: true }), 'paid')).resolves.toBeUndefined();
  });

  it('fails a backend that lets any genuine message fail the payment', async () => {
    await expect(run(fakeBroker(), 'unpaid')).rejects.toThrow(
      /a genuine failure of another transaction changed the unpaid payment: status new → failed; .*payment.declined/,
    );
  });

  it('fails a fixture whose message about the other transaction is not genuine', async () => {
    await expect(run(fakeBroker({ transactionIds: true }), 'unpaid', false)).rejects.toThrow(
      /must be genuine, yet it was rejected \(INVALID_SIGNATURE/,
    );
  });

  it('fails a fixture whose paid() does not pay', async () => {
    const backend = fakeBroker({ transactionIds: true });
    await expect(
      checkBinding({
        backend,
        fixture: {
          ...fixture(),
          paid: (payment) => notification({ paymentId: payment.id, id: 'T-OWN', status: 'PENDING' }),
        },
        currency: 'EUR',
        amount: 1500,
        scenario: 'paid',
      }),
    ).rejects.toThrow(/did not pay the payment \(status pending/);
  });
});
