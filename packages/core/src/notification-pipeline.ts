import type {
  AckResponse,
  InboundMessage,
  NotificationOutcome,
  NotificationUpdate,
  PaymentBackend,
} from './backend';
import { isPaybridgeError } from './errors';
import { readBody } from './lib/body';
import { bytesForLog, digest, toHex, utf8 } from './lib/bytes';
import {
  applyPaymentFacts,
  backendContext,
  deliverTransitions,
  emitAnomaly,
  type Runtime,
} from './lib/runtime';
import type { Anomaly, Payment, Transition } from './types';

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

interface UpdateResult {
  payment: Payment | null;
  outcome: 'applied' | 'unchanged' | 'duplicate' | 'anomaly';
  transitions: Transition[];
  anomalies: Anomaly[];
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
  const body = await readBody(request, runtime.maxBodyBytes);
  const message: InboundMessage = {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body,
    clientIp,
    receivedAt: runtime.now(),
  };

  // Nothing is processed before it is logged: if the log cannot be written, the broker retries.
  let messageId: string;
  try {
    const logged = bytesForLog(body);
    const stored = await runtime.store.appendMessage({
      direction: 'inbound',
      backend: backend.id,
      kind: 'notification',
      method: request.method,
      url: runtime.redactor.text(request.url),
      headers: runtime.redactor.headers(request.headers),
      body: logged.bodyEncoding === 'utf8' ? runtime.redactor.text(logged.body) : logged.body,
      bodyEncoding: logged.bodyEncoding,
      verdict: 'unverified',
      createdAt: message.receivedAt.toISOString(),
    });
    messageId = stored.id;
  } catch (error) {
    runtime.logger.error('could not log an inbound notification; asking the broker to retry', {
      backend: backend.id,
      error: String(error),
    });
    return toResponse(RETRY_ACK);
  }

  const started = Date.now();
  const finish = async (
    ack: AckResponse,
    patch: {
      verdict: 'verified' | 'rejected' | 'retry';
      outcome: string;
      paymentId?: string | null;
      detail?: string;
    },
  ) => {
    await runtime.store
      .updateMessage(messageId, {
        verdict: patch.verdict,
        outcome: patch.outcome,
        paymentId: patch.paymentId ?? null,
        detail: patch.detail ? runtime.redactor.text(patch.detail) : null,
        responseStatus: ack.status,
        responseBody: ack.body ? runtime.redactor.text(ack.body) : null,
        durationMs: Date.now() - started,
      })
      .catch((error) =>
        runtime.logger.error('could not update the message log', { messageId, error: String(error) }),
      );
    return toResponse(ack);
  };

  const ctx = backendContext(runtime, backend, baseUrl, clientIp);
  let outcome: NotificationOutcome;
  try {
    outcome = await backend.handleNotification(message, ctx);
  } catch (error) {
    runtime.logger.error('backend failed on a notification', {
      backend: backend.id,
      messageId,
      error: isPaybridgeError(error) ? `${error.code}: ${error.message}` : String(error),
    });
    return finish(RETRY_ACK, { verdict: 'retry', outcome: 'error', detail: String(error) });
  }

  if (outcome.verdict === 'rejected') {
    const anomaly: Anomaly = {
      code: outcome.code,
      message: outcome.message,
      ...(outcome.paymentId ? { paymentId: outcome.paymentId } : {}),
    };
    const payment = outcome.paymentId
      ? await runtime.store.getPayment(outcome.paymentId).catch(() => null)
      : null;
    const response = await finish(outcome.ack, {
      verdict: 'rejected',
      outcome: 'rejected',
      paymentId: payment?.id ?? null,
      detail: `${outcome.code}: ${outcome.message}`,
    });
    await emitAnomaly(runtime, backend.id, anomaly, payment);
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
      results.push(await applyUpdate(runtime, backend, update, ctx));
    }
  } catch (error) {
    runtime.logger.error('could not apply a verified notification; asking the broker to retry', {
      backend: backend.id,
      messageId,
      error: isPaybridgeError(error) ? `${error.code}: ${error.message}` : String(error),
    });
    return finish(RETRY_ACK, { verdict: 'verified', outcome: 'error', detail: String(error) });
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
  const response = await finish(outcome.ack, {
    verdict: 'verified',
    outcome: summary,
    paymentId: firstPayment?.id ?? outcome.updates[0]?.paymentId ?? null,
    ...(anomalies.length ? { detail: anomalies.map((a) => `${a.code}: ${a.message}`).join('; ') } : {}),
  });

  // Listeners run after the commit and can never change the acknowledgement.
  for (const [index, result] of results.entries()) {
    await deliverTransitions(runtime, result.transitions).catch((error) =>
      runtime.logger.error('could not deliver events', { error: String(error) }),
    );
    const update = outcome.updates[index];
    if (result.payment && update && result.outcome !== 'anomaly') {
      await runtime.emitter.emit('payment.processed', {
        payment: result.payment,
        backend: backend.id,
        facts: update.facts,
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

/** Deterministic id of a subscription renewal payment, so redelivery finds the same child. */
async function childPaymentId(parentId: string, key: string): Promise<string> {
  const hash = toHex(await digest('SHA-256', utf8(`${parentId}\u0000${key}`)));
  return `pay_${hash.slice(0, 26)}`;
}

async function applyUpdate(
  runtime: Runtime,
  backend: PaymentBackend,
  update: NotificationUpdate,
  ctx: ReturnType<typeof backendContext>,
): Promise<UpdateResult> {
  let payment = await runtime.store.getPayment(update.paymentId);
  if (!payment || payment.backend !== backend.id) {
    return {
      payment: null,
      outcome: 'anomaly',
      transitions: [],
      anomalies: [
        {
          code: 'UNKNOWN_PAYMENT',
          message: `no ${backend.id} payment ${update.paymentId}`,
          paymentId: update.paymentId,
        },
      ],
    };
  }
  const created: Transition[] = [];
  if (update.child) {
    const parent = payment;
    const id = await childPaymentId(parent.id, update.child.key);
    let child = await runtime.store.getPayment(id);
    if (!child) {
      const now = runtime.now().toISOString();
      child = {
        ...parent,
        id,
        amount: update.child.amount,
        currency: update.child.currency,
        status: 'new',
        amountAuthorized: 0,
        amountPaid: 0,
        amountRefunded: 0,
        captures: [],
        refunds: [],
        externalId: update.child.externalId ?? null,
        description: update.child.description ?? parent.description,
        parentPaymentId: parent.id,
        brokerData: {},
        createdAt: now,
        updatedAt: now,
        expiresAt: null,
        version: 1,
      };
      const transition: Transition = {
        id: `trn_${id.slice(4)}_created`,
        paymentId: id,
        from: 'new',
        to: 'new',
        cause: 'created',
        eventId: null,
        amountPaid: 0,
        amountRefunded: 0,
        at: now,
        effects: [{ event: 'payment.created' }, { event: 'subscription.payment' }],
      };
      try {
        await runtime.store.createPayment(child, transition);
        created.push(transition);
      } catch (error) {
        // Another instance created it at the same moment: use theirs.
        if (!(isPaybridgeError(error) && error.code === 'CONFLICT')) throw error;
        child = await runtime.store.getPayment(id);
        if (!child) throw error;
      }
    }
    payment = child;
  }

  let facts = update.facts;
  if (update.pull && backend.fetchStatus) {
    facts = [...facts, ...(await backend.fetchStatus(payment, ctx))];
  }
  const externalId = update.externalId;
  const { result, anomalies } = await applyPaymentFacts(
    runtime,
    backend,
    payment.id,
    facts,
    externalId ? (p) => (p.externalId ? p : { ...p, externalId }) : undefined,
  );
  return {
    payment: result.payment,
    outcome: anomalies.length && result.outcome !== 'applied' ? 'anomaly' : result.outcome,
    transitions: [...created, ...result.transitions],
    anomalies,
  };
}
