import type { OrderView } from './config';
import { allPayments } from './lib/all-payments';
import { currentShape } from './lib/current-shape';
import type { Runtime } from './lib/runtime';
import type { Payment } from './types';

async function allOrderPayments(runtime: Runtime, orderId: string): Promise<Payment[]> {
  return (await allPayments(runtime.store, { orderId, limit: 500 })).map(currentShape);
}

/** The order seen through all of its payments (retries, split payments). */
export async function getOrder(runtime: Runtime, orderId: string): Promise<OrderView> {
  const payments = (await allOrderPayments(runtime, orderId)).filter((p) => p.parentPaymentId === null);
  const first = [...payments].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))[0];
  const amount = typeof first?.order.amount === 'number' ? first.order.amount : (first?.amount ?? null);
  const currency = first?.currency ?? null;
  const sameCurrency = payments.filter((p) => p.currency === currency);
  const amountPaid = sameCurrency.reduce((sum, p) => sum + p.amountPaid, 0);
  const amountRefunded = sameCurrency.reduce((sum, p) => sum + p.amountRefunded, 0);
  const net = amountPaid - amountRefunded;
  const outstanding = amount === null ? null : Math.max(amount - net, 0);
  const status: OrderView['status'] =
    amount !== null && net >= amount && amount > 0
      ? 'paid'
      : amountPaid > 0 && net === 0
        ? 'refunded'
        : net > 0
          ? 'partially_paid'
          : payments.some((p) => p.status === 'pending' || p.status === 'authorized')
            ? 'pending'
            : 'unpaid';
  return { orderId, amount, currency, amountPaid, amountRefunded, outstanding, status, payments };
}
