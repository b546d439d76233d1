import type { AckResponse, InboundMessage, PaymentBackend } from '../backend';
import { isPaybridgeError } from '../errors';
import { readBody } from './body';
import { appendToLog, inboundRecord, logBody, updateLog } from './message-log';
import { withOwnHeaders } from './responses';
import type { Runtime } from './runtime';

/**
 * One notification as a route hands it to the pipeline: the request context every route gets
 * (routes/context.ts) and the backend the route names.
 */
export interface NotificationRequest {
  runtime: Runtime;
  backend: PaymentBackend;
  request: Request;
  /** Public origin + mount path: where brokers and browsers reach the bridge (no trailing slash). */
  baseUrl: string;
  /** The client's address (the peer, or what a trusted proxy forwarded); null when unknown. */
  clientIp: string | null;
}

/** How the pipeline closes a notification's log record. */
export interface NotificationVerdict {
  verdict: 'verified' | 'rejected' | 'retry';
  outcome: string;
  paymentId?: string | null;
  detail?: string;
}

/** One notification's record in the message log, opened before anything is processed. */
export interface NotificationLog {
  /**
   * A body over `logBodyLimitBytes` (a flood, or a rare large genuine message) is verified first —
   * verifying changes nothing — then logged whole when genuine and cut when not, so a forged or
   * unverifiable message writes at most the limit to the log (issue 14 item 4).
   */
  readonly afterVerifying: boolean;
  /** The record's id once written (for the server log's lines about this message). */
  readonly id: string | null;
  /** Writes the record; false when the log is down: nothing may be processed, the broker must retry. */
  open(whole: boolean): Promise<boolean>;
  /** Records the verdict and the answer given (a failed write is reported, never thrown); the answer. */
  close(ack: AckResponse, verdict: NotificationVerdict): Promise<Response>;
}

/** The broker's acknowledgement as a Response; a backend may keep its acks as constants. */
export function toResponse(ack: AckResponse): Response {
  return withOwnHeaders({ status: ack.status, headers: ack.headers, body: ack.body ?? '' });
}

/**
 * The notification's bytes, read once within the body limit. A body refused unread (413) is still
 * put on record: the merchant sees what the broker tried to send.
 */
export async function receiveNotification({
  runtime,
  backend,
  request,
  clientIp,
}: NotificationRequest): Promise<InboundMessage> {
  let body: Uint8Array;
  try {
    body = await readBody(request, runtime.maxBodyBytes);
  } catch (error) {
    if (isPaybridgeError(error) && error.code === 'PAYLOAD_TOO_LARGE') {
      const record = inboundRecord(runtime, backend.id, request, {
        kind: 'notification',
        body: '',
        bodyEncoding: 'utf8',
        verdict: 'rejected',
        outcome: 'too-large',
        responseStatus: error.status,
        detail: error.message,
        createdAt: runtime.now().toISOString(),
      });
      await appendToLog(runtime, record, { message: 'could not log a refused notification' });
    }
    throw error;
  }
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body,
    clientIp,
    receivedAt: runtime.now(),
  };
}

export function notificationLog(
  { runtime, backend, request }: NotificationRequest,
  message: InboundMessage,
): NotificationLog {
  const started = Date.now();
  let id: string | null = null;
  let cut: string | null = null;
  return {
    afterVerifying: message.body.length > runtime.logBodyLimitBytes,
    get id() {
      return id;
    },
    async open(whole) {
      const logged = logBody(runtime, message.body, whole);
      cut = logged.truncated;
      const record = inboundRecord(runtime, backend.id, request, {
        kind: 'notification',
        body: logged.body,
        bodyEncoding: logged.bodyEncoding,
        verdict: 'unverified',
        createdAt: message.receivedAt.toISOString(),
      });
      id = await appendToLog(runtime, record, {
        message: 'could not log an inbound notification; asking the broker to retry',
        context: { backend: backend.id },
      });
      return id !== null;
    },
    async close(ack, verdict) {
      const detail = [cut, verdict.detail].filter(Boolean).join('; ');
      if (id !== null) {
        await updateLog(runtime, id, {
          verdict: verdict.verdict,
          outcome: verdict.outcome,
          paymentId: verdict.paymentId ?? null,
          detail: detail ? runtime.redactor.text(detail) : null,
          responseStatus: ack.status,
          responseBody: ack.body ? runtime.redactor.text(ack.body) : null,
          durationMs: Date.now() - started,
        });
      }
      return toResponse(ack);
    },
  };
}
