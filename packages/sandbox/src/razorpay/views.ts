import {
  type RazorpayState,
  type SimLink,
  type SimOrder,
  type SimPayment,
  type SimRefund,
  seconds,
} from './model';

/** The entities as Razorpay's API and webhooks show them (§3.1, §4, §6.1, §8.2). */

export function linkView(state: RazorpayState, link: SimLink): Record<string, unknown> {
  const payments = [...state.payments.values()]
    .filter((p) => p.linkId === link.id && (p.status === 'captured' || p.status === 'refunded'))
    .map((p) => ({
      amount: p.amount,
      created_at: seconds(p.createdAt),
      method: p.method,
      payment_id: p.id,
      plink_id: link.id,
      status: 'captured',
      updated_at: seconds(p.createdAt),
    }));
  return {
    accept_partial: false,
    amount: link.amount,
    amount_paid: link.amountPaid,
    callback_method: link.callbackUrl ? 'get' : '',
    callback_url: link.callbackUrl ?? '',
    cancelled_at: link.cancelledAt,
    created_at: seconds(link.createdAt),
    currency: link.currency,
    customer: link.customer,
    description: link.description,
    expire_by: link.expireBy,
    expired_at: link.expiredAt,
    first_min_partial_amount: 0,
    id: link.id,
    notes: Object.keys(link.notes).length ? link.notes : null,
    notify: { email: false, sms: false, whatsapp: false },
    order_id: link.orderId ?? '',
    payments: payments.length ? payments : null,
    reference_id: link.referenceId,
    reminder_enable: false,
    reminders: [],
    short_url: `${state.env.baseUrl}/i/${link.code}`,
    status: link.status,
    updated_at: seconds(link.updatedAt),
    upi_link: false,
    user_id: '',
  };
}

export function orderView(order: SimOrder): Record<string, unknown> {
  return {
    id: order.id,
    entity: 'order',
    amount: order.amount,
    amount_paid: order.amountPaid,
    amount_due: order.amount - order.amountPaid,
    currency: order.currency,
    receipt: null,
    offer_id: null,
    status: order.status,
    attempts: order.attempts,
    notes: order.notes,
    created_at: seconds(order.createdAt),
  };
}

export function paymentView(payment: SimPayment): Record<string, unknown> {
  const refundStatus =
    payment.amountRefunded === 0 ? null : payment.amountRefunded === payment.amount ? 'full' : 'partial';
  return {
    id: payment.id,
    entity: 'payment',
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    order_id: payment.orderId,
    invoice_id: null,
    international: false,
    method: payment.method,
    amount_refunded: payment.amountRefunded,
    refund_status: refundStatus,
    captured: payment.status === 'captured' || payment.status === 'refunded',
    description: null,
    email: 'buyer@example.com',
    contact: '+919000090000',
    notes: payment.notes,
    fee: null,
    tax: null,
    error_code: payment.errorCode,
    error_description: payment.errorDescription,
    error_source: payment.errorCode ? 'customer' : null,
    error_step: payment.errorCode ? 'payment_authentication' : null,
    error_reason: payment.errorCode ? 'payment_failed' : null,
    created_at: seconds(payment.createdAt),
  };
}

export function refundView(refund: SimRefund): Record<string, unknown> {
  return {
    id: refund.id,
    entity: 'refund',
    amount: refund.amount,
    currency: refund.currency,
    payment_id: refund.paymentId,
    notes: refund.notes,
    receipt: refund.receipt,
    acquirer_data: { arn: null },
    created_at: seconds(refund.createdAt),
    batch_id: null,
    status: refund.status,
    speed_processed: refund.status === 'processed' ? 'normal' : null,
    speed_requested: refund.speedRequested,
  };
}
