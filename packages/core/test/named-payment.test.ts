import { describe, expect, it } from 'vitest';
import { namedPaymentId } from '../src/lib/named-payment';
import type { Payment } from '../src/types';

const payments = new Map<string, Pick<Payment, 'id' | 'backend'>>([
  ['pay_ours', { id: 'pay_ours', backend: 'payu' }],
  ['pay_other', { id: 'pay_other', backend: 'paypal' }],
]);
const byExternal = new Map([
  ['ORDER1', 'pay_ours'],
  ['OTHER1', 'pay_other'],
]);

function context(log: string[] = [], failing = false) {
  return {
    getPayment: async (id: string) => {
      log.push(`id:${id}`);
      if (failing) throw new Error('store down');
      return (payments.get(id) ?? null) as Payment | null;
    },
    findPaymentByExternalId: async (id: string) => {
      log.push(`ext:${id}`);
      const paymentId = byExternal.get(id);
      return (paymentId ? payments.get(paymentId) : null) as Payment | null;
    },
  };
}

describe('namedPaymentId (verify-or-pull: which of our payments an unverified message names)', () => {
  it("tries the broker's ids first, then ours, and answers the first payment of this backend", async () => {
    const log: string[] = [];
    const named = await namedPaymentId(
      context(log),
      'payu',
      { externalIds: ['OTHER1', 'ORDER1'], paymentIds: ['pay_ours'] },
      100,
    );
    expect(named).toBe('pay_ours');
    expect(log).toEqual(['ext:OTHER1', 'ext:ORDER1']);
    expect(await namedPaymentId(context(), 'payu', { paymentIds: ['pay_other', 'pay_ours'] }, 100)).toBe(
      'pay_ours',
    );
  });

  it('never looks up what is not a string of 1 to maxLength characters, nor the same id twice', async () => {
    const log: string[] = [];
    const named = await namedPaymentId(
      context(log),
      'payu',
      { externalIds: [undefined, '', 42, 'x'.repeat(11)], paymentIds: ['pay_none', 'pay_none', { id: 1 }] },
      10,
    );
    expect(named).toBeUndefined();
    expect(log).toEqual(['id:pay_none']);
  });

  it('answers undefined when no candidate is ours, or when the store fails', async () => {
    expect(
      await namedPaymentId(context(), 'stripe', { externalIds: ['ORDER1'], paymentIds: ['pay_ours'] }, 100),
    ).toBe(undefined);
    expect(
      await namedPaymentId(context([], true), 'payu', { paymentIds: ['pay_ours'] }, 100),
    ).toBeUndefined();
  });
});
