import type { GatewayMessagePatch, NewGatewayMessage } from '../store';
import { bytesForLog } from './bytes';
import { describeError } from './describe-error';
import type { Runtime } from './runtime';

/**
 * The gateway message log, written the same way by every path that receives or sends a broker
 * message: secrets redacted, bodies kept whole or cut to the limit, and a failed write reported in
 * the server log with what the caller says it means. Callers decide what a failed write costs (a
 * notification is then refused so that the broker retries; a return or an outbound call goes on).
 */

/** A body as the message log keeps it: redacted text (or base64), whole or cut to the runtime's limit. */
export interface LoggedBody {
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  /** Set when the body was cut: what the log row's `detail` says about it. */
  truncated: string | null;
}

/**
 * The log row's body. `whole` for a verified broker message (the evidence, kept byte for byte);
 * otherwise — forged, unverifiable, a customer's return: anyone can send those — only the first
 * `logBodyLimitBytes` are kept (cut on a UTF-8 character boundary) and the cut is counted in the
 * row's detail, so a flood of large bodies cannot fill the log.
 */
export function logBody(runtime: Runtime, bytes: Uint8Array, whole: boolean): LoggedBody {
  const limit = runtime.logBodyLimitBytes;
  let kept = bytes;
  let truncated: string | null = null;
  if (!whole && bytes.length > limit) {
    let end = limit;
    // Back off continuation bytes (10xxxxxx) so that a UTF-8 body stays readable text.
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    kept = bytes.subarray(0, end);
    truncated = `body truncated: ${end} of ${bytes.length} bytes kept (${bytes.length - end} cut)`;
  }
  const logged = bytesForLog(kept);
  return {
    body: logged.bodyEncoding === 'utf8' ? runtime.redactor.text(logged.body) : logged.body,
    bodyEncoding: logged.bodyEncoding,
    truncated,
  };
}

/** What an inbound record says beyond the request itself. */
export type InboundFields = Omit<NewGatewayMessage, 'direction' | 'backend' | 'method' | 'url' | 'headers'>;

/** The record of a request a broker or a customer sent us: its method, redacted URL and headers. */
export function inboundRecord(
  runtime: Runtime,
  backendId: string,
  request: Request,
  fields: InboundFields,
): NewGatewayMessage {
  return {
    direction: 'inbound',
    backend: backendId,
    method: request.method,
    url: runtime.redactor.text(request.url),
    headers: runtime.redactor.headers(request.headers),
    ...fields,
  };
}

/** Why a log write failed, for the server log: the message and what identifies the exchange. */
export interface LogFailure {
  message: string;
  context?: Record<string, unknown>;
}

/** Appends a record; its id, or null when the log could not be written (reported as `failure` says). */
export async function appendToLog(
  runtime: Runtime,
  record: NewGatewayMessage,
  failure: LogFailure,
): Promise<string | null> {
  try {
    return (await runtime.store.appendMessage(record)).id;
  } catch (error) {
    runtime.logger.error(failure.message, { ...failure.context, error: describeError(error) });
    return null;
  }
}

/** Completes a record (verdict, answer, timing); a failed write is reported, never thrown. */
export async function updateLog(
  runtime: Runtime,
  messageId: string,
  patch: GatewayMessagePatch,
  failure: LogFailure = { message: 'could not update the message log' },
): Promise<void> {
  try {
    await runtime.store.updateMessage(messageId, patch);
  } catch (error) {
    runtime.logger.error(failure.message, { messageId, ...failure.context, error: describeError(error) });
  }
}
