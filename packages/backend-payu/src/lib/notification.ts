import {
  type InboundMessage,
  isPaybridgeError,
  type NotificationContext,
  type NotificationOutcome,
  type Payment,
} from '@paybridge/core';
import { malformedNotification, parseJsonBody, textAck } from '@paybridge/core/kit';
import type { PayuClient } from './api-client';
import { orderFacts, refundFacts } from './facts';
import { orderNotificationSchema, refundNotificationSchema } from './payu-schemas';
import { resolveRefund } from './refunds';
import type { PayuSettings } from './settings';
import { verifySignature } from './signature';
import { namedPaymentId } from './unverified';

/** PayU wants HTTP 200 and ignores the body (§4.4); anything else is redelivered. */
const OK = textAck(200, 'OK');

export interface NotificationDeps {
  backendId: string;
  settings: PayuSettings;
  client: PayuClient;
}

export async function handlePayuNotification(
  message: InboundMessage,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const check = await verifySignature(
    message.headers,
    message.body,
    deps.settings.secondKey,
    deps.settings.allowedSignatureAlgorithms,
  );
  if (!check.ok) {
    // Answered 400, not 200. A forger gains nothing from either, but a genuine PayU notification fails
    // only when our configuration is wrong (second key rotated, wrong POS): PayU then keeps
    // redelivering for 72 h (§4.4), time to fix the key without losing the payment; a 200 would drop it.
    const paymentId = await namedPaymentId(message, ctx, deps.backendId);
    return {
      verdict: 'rejected',
      code: 'INVALID_SIGNATURE',
      message: check.message,
      ...(paymentId ? { paymentId } : {}),
      ack: textAck(400, check.reason === 'missing' ? 'NO SIGNATURE' : 'BAD SIGNATURE'),
    };
  }

  const body = parseJsonBody(message.body);
  if (body === undefined) return malformed('The notification body is not JSON');
  if (typeof body !== 'object' || body === null) return malformed('The notification body is not an object');
  // Refund notifications have no `order` key (§4.2).
  if ('order' in body) return handleOrder(body, ctx, deps);
  if ('refund' in body) return handleRefund(body, ctx, deps);
  return malformed('The notification carries neither an order nor a refund');
}

function malformed(message: string): NotificationOutcome {
  // Signed by PayU yet unreadable: answered non-200 so it stays in PayU's retry queue while we look.
  return malformedNotification(message, textAck(400, 'MALFORMED'));
}

/**
 * Our payment for a PayU order: by PayU's orderId (the externalId `prepare` returned), else by the
 * `extOrderId` we sent, which is our payment id. The payment named by `extOrderId` is read first,
 * by primary key: when it already carries this orderId it is the one the orderId names (PayU's
 * orderIds are unique), and the lookup by orderId is spared.
 */
async function findPayment(
  ctx: NotificationContext,
  backendId: string,
  orderId: string,
  extOrderId: string | undefined,
): Promise<Payment | OtherOrder | null> {
  const byExt = extOrderId ? await ctx.getPayment(extOrderId) : null;
  const ours = byExt !== null && byExt.backend === backendId;
  if (ours && byExt.externalId === orderId) return byExt;
  const byOrder = await ctx.findPaymentByExternalId(orderId);
  if (byOrder) return byOrder;
  if (!ours) return null;
  // Binding (DESIGN §6): the payment is bound to the order our own request created; another order
  // naming it by extOrderId is not its transaction, whatever that order says.
  if (byExt.externalId !== null) return { otherOrder: orderId, payment: byExt };
  return byExt;
}

/** A genuine notification about another PayU order than the one the payment is bound to. */
interface OtherOrder {
  otherOrder: string;
  payment: Payment;
}

function isOtherOrder(found: Payment | OtherOrder): found is OtherOrder {
  return 'otherOrder' in found;
}

/**
 * Refused with an anomaly and answered 200 (redelivery would say the same): it changes nothing on
 * the payment, and PayU's money of that order is the merchant's to look at in the panel.
 */
function otherOrder({ otherOrder, payment }: OtherOrder, what: string): NotificationOutcome {
  return {
    verdict: 'rejected',
    code: 'OTHER_TRANSACTION',
    message: `${what} of PayU order ${otherOrder} names ${payment.id}, which is bound to order ${payment.externalId}`,
    paymentId: payment.id,
    ack: OK,
  };
}

/**
 * A verified notification for an order we never created (a POS shared with another shop, a wiped
 * test database, a notifyUrl pointing at the wrong environment) is recorded and answered 200:
 * retrying cannot make the payment appear, and a non-200 would have PayU redeliver it 20 times
 * over 72 hours. The lookup by extOrderId already covers a notification racing our own write.
 */
function unknownPayment(orderId: string): NotificationOutcome {
  return {
    verdict: 'rejected',
    code: 'UNKNOWN_PAYMENT',
    message: `No payment for PayU order ${orderId}`,
    ack: OK,
  };
}

async function handleOrder(
  body: object,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const parsed = orderNotificationSchema().safeParse(body);
  if (!parsed.success)
    return malformed('The order notification lacks orderId, status, totalAmount or currencyCode');
  const { order } = parsed.data;
  const payment = await findPayment(ctx, deps.backendId, order.orderId, order.extOrderId);
  if (!payment) return unknownPayment(order.orderId);
  if (isOtherOrder(payment)) return otherOrder(payment, `status ${order.status.slice(0, 40)}`);

  // Signed by PayU but about other money: recorded as an anomaly, answered 200 since redelivery
  // would say the same thing again.
  if (order.currencyCode !== payment.currency) {
    return {
      verdict: 'rejected',
      code: 'CURRENCY_MISMATCH',
      message: `PayU order ${order.orderId} is in ${order.currencyCode}, the payment in ${payment.currency}`,
      paymentId: payment.id,
      ack: OK,
    };
  }
  if (order.totalAmount !== payment.amount) {
    return {
      verdict: 'rejected',
      code: 'AMOUNT_MISMATCH',
      message: `PayU order ${order.orderId} is for ${order.totalAmount}, the payment for ${payment.amount}`,
      paymentId: payment.id,
      ack: OK,
    };
  }

  const facts = orderFacts(order);
  if (facts === null) {
    // §4.5: tolerate statuses outside the v2.1 enum — log and answer 200.
    ctx.logger.warn('payu: notification with an unknown order status ignored', {
      paymentId: payment.id,
      orderId: order.orderId,
      status: order.status.slice(0, 40),
    });
    return { verdict: 'verified', updates: [], ack: OK };
  }
  return {
    verdict: 'verified',
    updates: [
      {
        paymentId: payment.id,
        facts,
        // The order this message is about: the core applies its facts only under the binding rule.
        transactionId: order.orderId,
        // Found by extOrderId before our own write of PayU's orderId landed: store it now (it is the
        // order our own request created, so it binds the payment whatever its status says).
        ...(payment.externalId === null ? { externalId: order.orderId } : {}),
        ...(deps.settings.confirmNotifications ? { pull: true } : {}),
      },
    ],
    ack: OK,
  };
}

async function handleRefund(
  body: object,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const parsed = refundNotificationSchema().safeParse(body);
  if (!parsed.success) return malformed('The refund notification lacks orderId, refundId or status');
  const { orderId, extOrderId, refund } = parsed.data;
  const payment = await findPayment(ctx, deps.backendId, orderId, extOrderId);
  if (!payment) return unknownPayment(orderId);
  if (isOtherOrder(payment)) return otherOrder(payment, `refund ${refund.refundId}`);

  let resolved: Awaited<ReturnType<typeof resolveRefund>>;
  try {
    resolved = await resolveRefund(deps.client, ctx, payment, orderId, refund);
  } catch (error) {
    // Our side could not complete the refund (PayU's API down): answer non-200 so PayU redelivers.
    return {
      verdict: 'retry',
      message: `Could not look the PayU refund up: ${isPaybridgeError(error) ? error.message : 'unexpected error'}`,
      ack: textAck(503, 'RETRY'),
    };
  }
  if (resolved.currency !== payment.currency) {
    return {
      verdict: 'rejected',
      code: 'CURRENCY_MISMATCH',
      message: `PayU refund ${resolved.payuRefundId} is in ${resolved.currency}, the payment in ${payment.currency}`,
      paymentId: payment.id,
      ack: OK,
    };
  }
  const facts = refundFacts(resolved);
  if (facts === null) {
    if (resolved.amount === undefined && (resolved.status === 'PENDING' || resolved.status === 'FINALIZED')) {
      return malformed(`PayU refund ${resolved.payuRefundId} has no amount, and PayU's API does not list it`);
    }
    ctx.logger.warn('payu: refund notification with an unknown status ignored', {
      paymentId: payment.id,
      refundId: resolved.payuRefundId,
      status: resolved.status.slice(0, 40),
    });
    return { verdict: 'verified', updates: [], ack: OK };
  }
  return {
    verdict: 'verified',
    updates: [{ paymentId: payment.id, facts, transactionId: orderId }],
    ack: OK,
  };
}
