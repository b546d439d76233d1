import type {
  AckResponse,
  InboundMessage,
  NotificationContext,
  NotificationOutcome,
  PaymentBackend,
} from './backend';
import { backendContext } from './lib/backend-context';
import { deliverSafely, emitAnomaly } from './lib/delivery';
import { describeError } from './lib/describe-error';
import {
  type NotificationLog,
  type NotificationRequest,
  type NotificationVerdict,
  notificationLog,
  receiveNotification,
  toResponse,
} from './lib/notification-log';
import { applyUpdate, type UpdateResult } from './lib/notification-update';
import type { Anomaly, Payment } from './types';
import { pullUnverified } from './verify-or-pull';

/** Our own failure (store down, a bug): answer so that the broker delivers the message again. */
const RETRY_ACK: AckResponse = {
  status: 503,
  headers: { 'content-type': 'application/json', 'retry-after': '60' },
  body: JSON.stringify({
    error: { code: 'STORE_UNAVAILABLE', message: 'Temporarily unable to process; retry later' },
  }),
};

type Verified = Extract<NotificationOutcome, { verdict: 'verified' }>;
type Rejected = Extract<NotificationOutcome, { verdict: 'rejected' }>;

/**
 * The one notification pipeline for every broker, in five phases: log the raw bytes → the backend
 * verifies (fail closed) → apply the updates (claim event ids + compare-and-set) → acknowledge (the
 * broker's exact answer, on record) → emit events to listeners. Forged or malformed messages change
 * nothing; our own failures answer non-2xx so the broker retries.
 */
export async function handleNotification(received: NotificationRequest): Promise<Response> {
  const { runtime, backend } = received;
  const message = await receiveNotification(received);

  // Log: nothing is processed before it is logged; if the log cannot be written, the broker retries.
  const log = notificationLog(received, message);
  if (!log.afterVerifying && !(await log.open(true))) return toResponse(RETRY_ACK);

  // Verify.
  const lookups = rememberLookups(backendContext(runtime, backend, received.baseUrl, received.clientIp));
  const verified = await verify(backend, message, lookups.ctx);
  if (log.afterVerifying && !(await log.open(verified.outcome?.verdict === 'verified'))) {
    return toResponse(RETRY_ACK);
  }
  const outcome = verified.outcome;
  if (!outcome) {
    runtime.logger.error('backend failed on a notification', {
      backend: backend.id,
      messageId: log.id,
      error: describeError(verified.error),
    });
    return log.close(RETRY_ACK, { verdict: 'retry', outcome: 'error', detail: String(verified.error) });
  }
  if (outcome.verdict === 'rejected') return refuse(received, log, outcome, lookups.known);
  if (outcome.verdict === 'retry') {
    runtime.logger.warn('notification could not be verified now; the broker will retry', {
      backend: backend.id,
      messageId: log.id,
      reason: outcome.message,
    });
    return log.close(outcome.ack ?? RETRY_ACK, {
      verdict: 'retry',
      outcome: 'retry',
      detail: outcome.message,
    });
  }

  // Apply.
  const applied = await apply(received, outcome, lookups);
  if ('error' in applied) {
    runtime.logger.error('could not apply a verified notification; asking the broker to retry', {
      backend: backend.id,
      messageId: log.id,
      error: describeError(applied.error),
    });
    const response = await log.close(RETRY_ACK, {
      verdict: 'verified',
      outcome: 'error',
      detail: String(applied.error),
    });
    // Updates before the failure are committed (the retry finds them claimed): their events are owed now.
    for (const result of applied.results) await deliverSafely(runtime, result.transitions, result.payment);
    return response;
  }

  // Acknowledge; then emit: listeners run after the commit and can never change the acknowledgement.
  const anomalies = [...(outcome.anomalies ?? []), ...applied.results.flatMap((r) => r.anomalies)];
  const response = await log.close(outcome.ack, verifiedVerdict(outcome, applied.results, anomalies));
  await emit(received, applied.results, anomalies);
  return response;
}

/**
 * The backend's context, remembering what the backend looked up while verifying: that payment is
 * handed to its first update, so a notification costs one read of it (the store's compare-and-set
 * reads it again anyway).
 */
function rememberLookups(storeCtx: NotificationContext) {
  const known = new Map<string, Payment>();
  const remember = (payment: Payment | null) => {
    if (payment) known.set(payment.id, payment);
    return payment;
  };
  const ctx: NotificationContext = {
    ...storeCtx,
    getPayment: async (id) => remember(await storeCtx.getPayment(id)),
    findPaymentByExternalId: async (externalId) =>
      remember(await storeCtx.findPaymentByExternalId(externalId)),
  };
  return { ctx, known };
}

async function verify(
  backend: PaymentBackend,
  message: InboundMessage,
  ctx: NotificationContext,
): Promise<{ outcome: NotificationOutcome; error?: undefined } | { outcome?: undefined; error: unknown }> {
  try {
    return { outcome: await backend.handleNotification(message, ctx) };
  } catch (error) {
    return { error };
  }
}

/** A refused message changes nothing; the payment it names is told of it, and asked about at the broker. */
async function refuse(
  { runtime, backend }: NotificationRequest,
  log: NotificationLog,
  outcome: Rejected,
  known: ReadonlyMap<string, Payment>,
): Promise<Response> {
  const anomaly: Anomaly = {
    code: outcome.code,
    message: outcome.message,
    ...(outcome.paymentId ? { paymentId: outcome.paymentId } : {}),
  };
  const payment = outcome.paymentId
    ? (known.get(outcome.paymentId) ?? (await runtime.store.getPayment(outcome.paymentId).catch(() => null)))
    : null;
  const response = await log.close(outcome.ack, {
    verdict: 'rejected',
    outcome: 'rejected',
    paymentId: payment?.id ?? null,
    detail: `${outcome.code}: ${outcome.message}`,
  });
  await emitAnomaly(runtime, backend.id, anomaly, payment);
  // Unverifiable, so it changes nothing; but the payment it names is asked about at the broker (rate-limited).
  await pullUnverified(runtime, backend, outcome.code, payment);
  return response;
}

/** Each update in turn; on a failure, the results committed before it (their events are owed). */
async function apply(
  received: NotificationRequest,
  outcome: Verified,
  lookups: ReturnType<typeof rememberLookups>,
): Promise<{ results: UpdateResult[] } | { results: UpdateResult[]; error: unknown }> {
  const results: UpdateResult[] = [];
  try {
    for (const update of outcome.updates) {
      // Only the first update of a payment may start from the backend's read of it.
      const known = lookups.known.get(update.paymentId);
      lookups.known.delete(update.paymentId);
      results.push(await applyUpdate(received, update, lookups.ctx, known));
    }
    return { results };
  } catch (error) {
    return { results, error };
  }
}

/** The message's outcome by precedence: the first of these any update had; else duplicate, or ignored. */
const OUTCOME_PRECEDENCE = ['applied', 'unchanged'] as const;

/** The log's verdict on a verified message: its outcome, the payment, and what was left unapplied and why. */
function verifiedVerdict(
  outcome: Verified,
  results: UpdateResult[],
  anomalies: Anomaly[],
): NotificationVerdict {
  const outcomes = new Set(results.map((r) => r.outcome));
  const summary = anomalies.length
    ? 'anomaly'
    : (OUTCOME_PRECEDENCE.find((o) => outcomes.has(o)) ?? (results.length ? 'duplicate' : 'ignored'));
  const firstPayment = results.find((r) => r.payment)?.payment ?? null;
  // Anomalies first, then facts about other attempts (binding).
  const notes = [
    ...anomalies.map((a) => `${a.code}: ${a.message}`),
    ...results.flatMap((r) => r.otherAttempts),
  ];
  return {
    verdict: 'verified',
    outcome: summary,
    paymentId: firstPayment?.id ?? outcome.updates[0]?.paymentId ?? null,
    ...(notes.length ? { detail: notes.join('; ') } : {}),
  };
}

/** Events owed by the applied updates, `payment.processed` per payment, then the anomalies. */
async function emit(
  { runtime, backend }: NotificationRequest,
  results: UpdateResult[],
  anomalies: Anomaly[],
): Promise<void> {
  for (const result of results) {
    await deliverSafely(runtime, result.transitions, result.payment);
    if (result.payment && result.outcome !== 'anomaly') {
      await runtime.emitter.emit('payment.processed', {
        payment: result.payment,
        backend: backend.id,
        facts: result.facts,
        outcome: result.outcome,
        brokerData: result.payment.brokerData,
      });
    }
  }
  for (const anomaly of anomalies) {
    const payment = results.find((r) => r.payment?.id === anomaly.paymentId)?.payment ?? null;
    await emitAnomaly(runtime, backend.id, anomaly, payment);
  }
}
