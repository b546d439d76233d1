import { type BackendContext, PaybridgeError, type Payment, type PrepareResult } from '@paybridge/core';
import { toRazorpayAmount } from './amount';
import { callRazorpay, isRefusal } from './api-client';
import { DATA, NOTE_PAYMENT_ID, type PaymentLink, paymentLinkSchema } from './entities';
import type { RazorpaySettings } from './settings';

/** `reference_id` is at most 40 characters and unique per link (§3.1); our payment ids fit. */
const MAX_REFERENCE = 40;

/**
 * `POST /v1/payment_links` (§3.1): one link per payment, named by `reference_id` = our payment id, the
 * buyer sent to its `short_url`. Razorpay refuses a second link with the same reference, so a retry of
 * a create whose answer was lost finds the first link (`GET /v1/payment_links?reference_id=`) instead.
 */
export async function preparePaymentLink(
  payment: Payment,
  ctx: BackendContext,
  settings: RazorpaySettings,
): Promise<PrepareResult> {
  if (payment.id.length > MAX_REFERENCE) {
    throw new PaybridgeError(
      'INVALID_STATE',
      `payment id ${payment.id} is longer than Razorpay's reference_id`,
    );
  }
  const minimum = settings.minimumAmounts[payment.currency];
  if (minimum !== undefined && payment.amount < minimum) {
    throw new PaybridgeError(
      'INVALID_AMOUNT',
      `Razorpay takes at least ${minimum} minor units of ${payment.currency}, the payment is ${payment.amount}`,
    );
  }
  const expireBy = Math.floor(ctx.now().getTime() / 1000) + settings.linkLifetimeMinutes * 60;
  const body = {
    amount: toRazorpayAmount(payment.amount, payment.currency),
    currency: payment.currency,
    accept_partial: false,
    description: payment.description.slice(0, 2048),
    reference_id: payment.id,
    expire_by: expireBy,
    customer: customerOf(payment),
    // paybridge sends the buyer itself: no SMS, e-mail or reminders from Razorpay.
    notify: { sms: false, email: false },
    reminder_enable: false,
    notes: { [NOTE_PAYMENT_ID]: payment.id },
    callback_url: ctx.returnUrl(payment.id),
    callback_method: 'get',
  };
  let link: PaymentLink;
  try {
    link = paymentLinkSchema().parse(
      await callRazorpay(ctx, settings, 'create the Payment Link', {
        method: 'POST',
        path: '/v1/payment_links',
        body,
        kind: 'create-payment-link',
        paymentId: payment.id,
      }),
    );
  } catch (error) {
    if (!isRefusal(error) || error.httpStatus !== 400) throw error;
    const existing = await findLinkByReference(payment, ctx, settings);
    if (!existing) throw error;
    link = existing;
  }
  if (!link.short_url) throw new PaybridgeError('BROKER_ERROR', `Razorpay link ${link.id} has no short_url`);
  if (link.amount !== payment.amount || link.currency.toUpperCase() !== payment.currency) {
    throw new PaybridgeError('BROKER_ERROR', `Razorpay link ${link.id} is not for this payment's amount`);
  }
  return {
    redirect: { method: 'GET', url: link.short_url },
    externalId: link.id,
    brokerData: { [DATA.link]: link.id },
  };
}

function customerOf(payment: Payment): Record<string, string> {
  const { buyer } = payment;
  const name = [buyer.firstName, buyer.lastName].filter(Boolean).join(' ');
  return {
    ...(name ? { name } : {}),
    ...(buyer.email ? { email: buyer.email } : {}),
    ...(buyer.phone ? { contact: buyer.phone } : {}),
  };
}

/** The link already made for this payment (a create retried after a lost answer), if any. */
async function findLinkByReference(
  payment: Payment,
  ctx: BackendContext,
  settings: RazorpaySettings,
): Promise<PaymentLink | null> {
  const raw = (await callRazorpay(ctx, settings, 'find the Payment Link', {
    method: 'GET',
    path: `/v1/payment_links?reference_id=${encodeURIComponent(payment.id)}`,
    kind: 'find-payment-link',
    paymentId: payment.id,
  })) as { payment_links?: unknown[] };
  for (const item of raw.payment_links ?? []) {
    const link = paymentLinkSchema().safeParse(item);
    if (link.success && link.data.reference_id === payment.id && link.data.status === 'created')
      return link.data;
  }
  return null;
}
