import {
  type InboundMessage,
  isPaybridgeError,
  type NotificationContext,
  type NotificationOutcome,
  type Payment,
} from '@paybridge/core';
import { ipInRange, malformedNotification, parseJsonBody, textAck } from '@paybridge/core/kit';
import { notifiedRefundOutcome, paidFacts, refundFact } from './facts';
import {
  type RefundNotification,
  refundNotificationSchema,
  type TransactionNotification,
  transactionNotificationSchema,
} from './p24-schemas';
import type { Przelewy24Settings } from './settings';
import { signMatches } from './signature';
import { verifyTransaction } from './transactions';

/** P24 reads only the status; what stops its retries is our verify call (reference §5.1). */
export const OK = textAck(200, 'OK');

export interface NotificationDeps {
  backendId: string;
  settings: Przelewy24Settings;
}

type Outcome = Promise<NotificationOutcome>;

/** Read the raw bytes once: strict UTF-8, a JSON object, or null. */
export function parseBody(body: Uint8Array): Record<string, unknown> | null {
  const json = parseJsonBody(body);
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : null;
}

export const malformed = (message: string): NotificationOutcome =>
  malformedNotification(message, textAck(400, 'MALFORMED'));

export async function handleP24Notification(
  message: InboundMessage,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Outcome {
  const { notificationIps } = deps.settings;
  if (
    notificationIps &&
    !(message.clientIp && notificationIps.some((cidr) => ipInRange(message.clientIp as string, cidr)))
  ) {
    return {
      verdict: 'rejected',
      code: 'VERIFICATION_FAILED',
      message: `Przelewy24 notification from ${message.clientIp ?? 'an unknown address'}, outside notificationIps`,
      ack: textAck(403, 'FORBIDDEN'),
    };
  }
  const body = parseBody(message.body);
  if (!body) return malformed('The Przelewy24 notification is not a JSON object');
  // A refund notification is the one that carries refundsUuid (reference §8.2).
  if ('refundsUuid' in body) {
    const parsed = refundNotificationSchema().safeParse(body);
    if (!parsed.success)
      return malformed('The Przelewy24 refund notification lacks a field or has a wrong type');
    return handleRefund(parsed.data, ctx, deps);
  }
  const parsed = transactionNotificationSchema().safeParse(body);
  if (!parsed.success) return malformed('The Przelewy24 notification lacks a field or has a wrong type');
  return handleTransaction(parsed.data, ctx, deps);
}

/** Our payment named by a sessionId (our payment id), when it belongs to this backend. */
async function paymentOf(
  ctx: NotificationContext,
  backendId: string,
  sessionId: string,
): Promise<Payment | null> {
  const payment = await ctx.getPayment(sessionId);
  return payment && payment.backend === backendId ? payment : null;
}

async function refused(
  ctx: NotificationContext,
  deps: NotificationDeps,
  sessionId: string,
  code: 'INVALID_SIGNATURE' | 'RECEIVER_MISMATCH',
  text: string,
): Outcome {
  // Named but unverified: core pulls the payment's status (verify-or-pull), nothing changes by this message.
  const payment = await paymentOf(ctx, deps.backendId, sessionId);
  return {
    verdict: 'rejected',
    code,
    message: text,
    ...(payment ? { paymentId: payment.id } : {}),
    ack: textAck(400, code === 'INVALID_SIGNATURE' ? 'BAD SIGN' : 'WRONG MERCHANT'),
  };
}

/** A genuine message about a session we never registered: acknowledged (P24 stops), nothing changes. */
function unknownSession(sessionId: string): NotificationOutcome {
  return {
    verdict: 'rejected',
    code: 'UNKNOWN_PAYMENT',
    message: `No payment for Przelewy24 session ${sessionId.slice(0, 100)}`,
    ack: OK,
  };
}

function mismatch(
  payment: Payment,
  code: 'AMOUNT_MISMATCH' | 'CURRENCY_MISMATCH',
  text: string,
): NotificationOutcome {
  // Genuine but not verifiable as our money: recorded for review, no verify (reference §5.1 step 2).
  return { verdict: 'rejected', code, message: text, paymentId: payment.id, ack: OK };
}

async function handleTransaction(
  n: TransactionNotification,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Outcome {
  const { settings } = deps;
  if (!(await signMatches('notification', n, settings.crc, n.sign))) {
    return refused(
      ctx,
      deps,
      n.sessionId,
      'INVALID_SIGNATURE',
      `Przelewy24 notification for order ${n.orderId}: sign mismatch`,
    );
  }
  if (n.merchantId !== settings.merchantId || n.posId !== settings.posId) {
    return refused(
      ctx,
      deps,
      n.sessionId,
      'RECEIVER_MISMATCH',
      `Przelewy24 notification for merchant ${n.merchantId}/${n.posId}, not ours`,
    );
  }
  const payment = await paymentOf(ctx, deps.backendId, n.sessionId);
  if (!payment) return unknownSession(n.sessionId);
  if (n.currency !== payment.currency) {
    return mismatch(
      payment,
      'CURRENCY_MISMATCH',
      `Przelewy24 order ${n.orderId} is in ${n.currency}, the payment in ${payment.currency}`,
    );
  }
  if (n.amount !== payment.amount || n.originAmount !== payment.amount) {
    return mismatch(
      payment,
      'AMOUNT_MISMATCH',
      `Przelewy24 order ${n.orderId} paid ${n.amount} of ${n.originAmount}, the payment is for ${payment.amount}`,
    );
  }
  const facts = paidFacts(n);
  const update = { paymentId: payment.id, facts, transactionId: String(n.orderId) };
  // Already verified (a retry, a duplicate, a pull first): acknowledged without a second verify.
  if (payment.captures.some((c) => c.id === String(n.orderId) && c.status === 'succeeded')) {
    return { verdict: 'verified', updates: [update], ack: OK };
  }
  let result: Awaited<ReturnType<typeof verifyTransaction>>;
  try {
    result = await verifyTransaction(payment, n.orderId, ctx, settings);
  } catch (error) {
    // P24 could not be asked: non-2xx, so P24 resends on its schedule (and the sweeper can pull).
    return {
      verdict: 'retry',
      message: `Przelewy24 verify of order ${n.orderId}: ${isPaybridgeError(error) ? error.message : 'unexpected error'}`,
      ack: textAck(503, 'RETRY'),
    };
  }
  if (result !== 'verified') {
    return {
      verdict: 'rejected',
      code: 'VERIFICATION_FAILED',
      message: `Przelewy24 refused to verify order ${n.orderId}`,
      paymentId: payment.id,
      ack: textAck(400, 'NOT VERIFIED'),
    };
  }
  return { verdict: 'verified', updates: [update], ack: OK };
}

async function handleRefund(
  n: RefundNotification,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Outcome {
  const { settings } = deps;
  if (!(await signMatches('refundNotification', n, settings.crc, n.sign))) {
    return refused(
      ctx,
      deps,
      n.sessionId,
      'INVALID_SIGNATURE',
      `Przelewy24 refund notification ${n.refundsUuid.slice(0, 35)}: sign mismatch`,
    );
  }
  if (n.merchantId !== settings.merchantId) {
    return refused(
      ctx,
      deps,
      n.sessionId,
      'RECEIVER_MISMATCH',
      `Przelewy24 refund notification for merchant ${n.merchantId}, not ours`,
    );
  }
  const payment = await paymentOf(ctx, deps.backendId, n.sessionId);
  if (!payment) return unknownSession(n.sessionId);
  if (n.currency !== payment.currency) {
    return mismatch(
      payment,
      'CURRENCY_MISMATCH',
      `Przelewy24 refund ${n.refundsUuid} is in ${n.currency}, the payment in ${payment.currency}`,
    );
  }
  if (payment.externalId !== String(n.orderId)) {
    // Not the transaction the payment is bound to (or none is yet, its notification lost): the refund is
    // not applied from this message; the pull by our sessionId reads our own transaction and its refunds.
    return { verdict: 'verified', updates: [{ paymentId: payment.id, facts: [], pull: true }], ack: OK };
  }
  const outcome = notifiedRefundOutcome(n.status);
  if (!outcome) {
    ctx.logger.warn('przelewy24: refund notification with an unknown status ignored', {
      paymentId: payment.id,
      status: n.status,
    });
    return { verdict: 'verified', updates: [], ack: OK };
  }
  const fact = refundFact(payment, { ...n, outcome });
  return {
    verdict: 'verified',
    updates: [{ paymentId: payment.id, facts: [fact], transactionId: String(n.orderId) }],
    ack: OK,
  };
}
