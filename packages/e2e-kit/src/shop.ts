import type { OrderInfo, Payment } from '@paybridge/core';

/**
 * The shop's order `orderId`: described `Order <id>`, the buyer sent back to `/thanks` or `/sorry`,
 * with `order` over it (the amount, currency and buyer a broker needs, or another description).
 */
export const shopOrder = (
  orderId: string,
  order: Pick<OrderInfo, 'amount' | 'currency'> & Partial<OrderInfo>,
): OrderInfo => ({
  description: `Order ${orderId}`,
  successUrl: 'https://shop.test/thanks',
  failureUrl: 'https://shop.test/sorry',
  ...order,
});

/** A payment's status and totals: the part of an end state that no broker's ids can change. */
export const paymentTotals = (p: Payment) => ({
  status: p.status,
  amountPaid: p.amountPaid,
  amountRefunded: p.amountRefunded,
});
