import { type BackendContext, PaybridgeError, type Payment, type PrepareResult } from '@paybridge/core';
import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import { jsonWithAmount, toMajorDecimal } from './amounts';
import { expectSuccess, flutterwaveRequest } from './api-client';
import type { FlutterwaveSettings } from './settings';

const linkSchema = memoized(() => z.object({ link: z.url({ protocol: /^https?$/ }) }));

/** The `POST /payments` body (§3.1) as JSON text, `amount` written as the exact major-unit decimal. */
export function paymentBody(payment: Payment, ctx: BackendContext, settings: FlutterwaveSettings): string {
  const email = payment.buyer.email ?? settings.defaultCustomerEmail;
  if (!email) {
    // Flutterwave refuses a payment without customer.email (§3.1); say so before calling it.
    throw new PaybridgeError(
      'BAD_REQUEST',
      'Flutterwave needs the buyer’s email (buyer.email, or the defaultCustomerEmail setting)',
      {
        details: { backend: payment.backend, field: 'buyer.email' },
      },
    );
  }
  const name = [payment.buyer.firstName, payment.buyer.lastName].filter(Boolean).join(' ');
  const fields = {
    // tx_ref is our unguessable payment id: unique per transaction, and what webhooks and pulls find us by.
    tx_ref: payment.id,
    // Always sent: Flutterwave would otherwise assume NGN (§2).
    currency: payment.currency,
    redirect_url: ctx.returnUrl(payment.id),
    customer: {
      email,
      ...(name ? { name } : {}),
      ...(payment.buyer.phone ? { phonenumber: payment.buyer.phone } : {}),
    },
    customizations: {
      title: settings.title ?? payment.description.slice(0, 100),
      description: payment.description.slice(0, 255),
      ...(settings.logo ? { logo: settings.logo } : {}),
    },
    ...(settings.paymentOptions ? { payment_options: settings.paymentOptions } : {}),
    ...(settings.sessionDurationMinutes ? { session_duration: settings.sessionDurationMinutes } : {}),
    ...(settings.maxRetryAttempts ? { max_retry_attempt: settings.maxRetryAttempts } : {}),
    meta: { paybridge_payment_id: payment.id, paybridge_order_id: payment.orderId },
  };
  return jsonWithAmount(fields, toMajorDecimal(payment.amount, payment.currency));
}

/**
 * Register the payment at Flutterwave (`POST /payments`) and send the buyer to the hosted link. No
 * transaction id exists yet (one is made when the buyer pays): the payment is found later by tx_ref.
 */
export async function preparePayment(
  payment: Payment,
  ctx: BackendContext,
  settings: FlutterwaveSettings,
): Promise<PrepareResult> {
  const answer = await flutterwaveRequest(settings, ctx, {
    method: 'POST',
    path: '/payments',
    body: paymentBody(payment, ctx, settings),
    kind: 'create-payment',
    paymentId: payment.id,
  });
  const parsed = linkSchema().safeParse(expectSuccess(answer, 'create the payment link'));
  if (!parsed.success) {
    throw new PaybridgeError('BROKER_ERROR', 'Flutterwave answered without a payment link (data.link)');
  }
  return { redirect: { method: 'GET', url: parsed.data.link } };
}
