import type { AckResponse, InboundMessage, NotificationOutcome, PaymentBackend } from './backend';
import { isPaybridgeError } from './errors';
import { readBody } from './lib/body';
import { describeError } from './lib/describe-error';
import { logBody } from './lib/log-body';
import { applyUpdate, type UpdateResult } from './lib/notification-update';
import { backendContext, deliverTransitions, emitAnomaly, type Runtime } from './lib/runtime';
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

function toResponse(ack: AckResponse): Response {
  return new Response(ack.body ?? '', { status: ack.status, headers: { ...ack.headers } });
}

/**
 * The one notification pipeline for every broker: keep the raw bytes → log them → the backend
 * verifies (fail closed) → optional pull → claim event ids + compare-and-set → commit → events →
 * the broker's exact acknowledgement. Forged or malformed messages change nothing; our own failures
 * answer non-2xx so the broker retries.
 */
export async function handleNotification(
  runtime: Runtime,
  backend: PaymentBackend,
  request: Request,
  baseUrl: string,
  clientIp: string | null,
): Promise<Response> {
  let body: Uint8Array;
  try {
    body = await readBody(request, runtime.maxBodyBytes);
  } catch (error) {
    // Refused unread (413), but still on record: the merchant sees what the broker tried to send.
    if (isPaybridgeError(error) && error.code === 'PAYLOAD_TOO_LARGE') {
      await runtime.store
        .appendMessage({
          direction: 'inbound',
          backend: backend.id,
          kind: 'notification',
          method: request.method,
          url: runtime.redactor.text(request.url),
          headers: runtime.redactor.headers(request.headers),
          body: '',
          bodyEncoding: 'utf8',
          verdict: 'rejected',
          outcome: 'too-large',
          responseStatus: error.status,
          detail: error.message,
          createdAt: runtime.now().toISOString(),
        })
        .catch((logError) =>
          runtime.logger.error('could not log a refused notification', { error: String(logError) }),
        );
    }
    throw error;
  }
  const message: InboundMessage = {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body,
    clientIp,
    receivedAt: runtime.now(),
  };

  // Nothing is processed before it is logged: if the log cannot be written, the broker retries. A
  // body over `logBodyLimitBytes` (a flood, or a rare large genuine message) is verified first —
  // verifying changes nothing — then logged whole when genuine and cut when not, so a forged or
  // unverifiable message writes at most the limit to the log (issue 14 item 4).
  const started = Date.now();
  let messageId: string | null = null;
  let cut: string | null = null;
  const log = async (whole: boolean): Promise<boolean> => {
    const logged = logBody(runtime, body, whole);
    cut = logged.truncated;
    try {
      const stored = await runtime.store.appendMessage({
        direction: 'inbound',
        backend: backend.id,
        kind: 'notification',
        method: request.method,
        url: runtime.redactor.text(request.url),
        headers: runtime.redactor.headers(request.headers),
        body: logged.body,
        bodyEncoding: logged.bodyEncoding,
        verdict: 'unverified',
        createdAt: message.receivedAt.toISOString(),
      });
      messageId = stored.id;
      return true;
    } catch (error) {
      runtime.logger.error('could not log an inbound notification; asking the broker to retry', {
        backend: backend.id,
        error: describeError(error),
      });
      return false;
    }
  };
  const logAfterVerifying = body.length > runtime.logBodyLimitBytes;
  if (!logAfterVerifying && !(await log(true))) return toResponse(RETRY_ACK);

  const finish = async (
    ack: AckResponse,
    patch: {
      verdict: 'verified' | 'rejected' | 'retry';
      outcome: string;
      paymentId?: string | null;
      detail?: string;
    },
  ) => {
    const detail = [cut, patch.detail].filter(Boolean).join('; ');
    if (messageId !== null) {
      await runtime.store
        .updateMessage(messageId, {
          verdict: patch.verdict,
          outcome: patch.outcome,
          paymentId: patch.paymentId ?? null,
          detail: detail ? runtime.redactor.text(detail) : null,
          responseStatus: ack.status,
          responseBody: ack.body ? runtime.redactor.text(ack.body) : null,
          durationMs: Date.now() - started,
        })
        .catch((error) =>
          runtime.logger.error('could not update the message log', {
            messageId,
            error: describeError(error),
          }),
        );
    }
    return toResponse(ack);
  };

  // What the backend looked up while verifying is handed to the first update of that payment, so
  // that a notification costs one read of it (the store's compare-and-set reads it again anyway).
  const lookedUp = new Map<string, Payment>();
  const remember = (payment: Payment | null) => {
    if (payment) lookedUp.set(payment.id, payment);
    return payment;
  };
  const storeCtx = backendContext(runtime, backend, baseUrl, clientIp);
  const ctx: typeof storeCtx = {
    ...storeCtx,
    getPayment: async (id) => remember(await storeCtx.getPayment(id)),
    findPaymentByExternalId: async (externalId) =>
      remember(await storeCtx.findPaymentByExternalId(externalId)),
  };
  let outcome: NotificationOutcome;
  try {
    outcome = await backend.handleNotification(message, ctx);
  } catch (error) {
    if (logAfterVerifying && !(await log(false))) return toResponse(RETRY_ACK);
    runtime.logger.error('backend failed on a notification', {
      backend: backend.id,
      messageId,
      error: describeError(error),
    });
    return finish(RETRY_ACK, { verdict: 'retry', outcome: 'error', detail: String(error) });
  }
  if (logAfterVerifying && !(await log(outcome.verdict === 'verified'))) return toResponse(RETRY_ACK);

  if (outcome.verdict === 'rejected') {
    const anomaly: Anomaly = {
      code: outcome.code,
      message: outcome.message,
      ...(outcome.paymentId ? { paymentId: outcome.paymentId } : {}),
    };
    const payment = outcome.paymentId
      ? (lookedUp.get(outcome.paymentId) ??
        (await runtime.store.getPayment(outcome.paymentId).catch(() => null)))
      : null;
    const response = await finish(outcome.ack, {
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

  if (outcome.verdict === 'retry') {
    runtime.logger.warn('notification could not be verified now; the broker will retry', {
      backend: backend.id,
      messageId,
      reason: outcome.message,
    });
    return finish(outcome.ack ?? RETRY_ACK, { verdict: 'retry', outcome: 'retry', detail: outcome.message });
  }

  const results: UpdateResult[] = [];
  try {
    for (const update of outcome.updates) {
      const known = lookedUp.get(update.paymentId);
      lookedUp.delete(update.paymentId);
      results.push(await applyUpdate(runtime, backend, update, ctx, known));
    }
  } catch (error) {
    runtime.logger.error('could not apply a verified notification; asking the broker to retry', {
      backend: backend.id,
      messageId,
      error: describeError(error),
    });
    const response = await finish(RETRY_ACK, {
      verdict: 'verified',
      outcome: 'error',
      detail: String(error),
    });
    // Updates before the failure are committed (the retry finds them claimed): their events are owed now.
    for (const result of results) {
      await deliverTransitions(runtime, result.transitions, result.payment).catch((deliveryError) =>
        runtime.logger.error('could not deliver events', { error: String(deliveryError) }),
      );
    }
    return response;
  }

  const anomalies = [...(outcome.anomalies ?? []), ...results.flatMap((r) => r.anomalies)];
  const outcomes = new Set(results.map((r) => r.outcome));
  const summary = anomalies.length
    ? 'anomaly'
    : outcomes.has('applied')
      ? 'applied'
      : outcomes.has('unchanged')
        ? 'unchanged'
        : results.length
          ? 'duplicate'
          : 'ignored';
  const firstPayment = results.find((r) => r.payment)?.payment ?? null;
  // What was left unapplied, and why, stays with the message: anomalies, then other attempts (binding).
  const notes = [
    ...anomalies.map((a) => `${a.code}: ${a.message}`),
    ...results.flatMap((r) => r.otherAttempts),
  ];
  const response = await finish(outcome.ack, {
    verdict: 'verified',
    outcome: summary,
    paymentId: firstPayment?.id ?? outcome.updates[0]?.paymentId ?? null,
    ...(notes.length ? { detail: notes.join('; ') } : {}),
  });

  // Listeners run after the commit and can never change the acknowledgement.
  for (const result of results) {
    await deliverTransitions(runtime, result.transitions, result.payment).catch((error) =>
      runtime.logger.error('could not deliver events', { error: describeError(error) }),
    );
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
  return response;
}
