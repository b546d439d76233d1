import type { BackendFetch } from '../backend';
import { PaybridgeError } from '../errors';
import { bytesForLog } from './bytes';
import { appendToLog, updateLog } from './message-log';
import type { Runtime } from './runtime';

/** The request body as the message log keeps it: text as is, bytes as UTF-8 or (when not UTF-8) base64. */
function loggableBody(body: RequestInit['body']): ReturnType<typeof bytesForLog> {
  if (body === undefined || body === null) return { body: '', bodyEncoding: 'utf8' };
  if (typeof body === 'string') return { body, bodyEncoding: 'utf8' };
  if (body instanceof URLSearchParams) return { body: body.toString(), bodyEncoding: 'utf8' };
  if (body instanceof Uint8Array) return bytesForLog(body);
  if (body instanceof ArrayBuffer) return bytesForLog(new Uint8Array(body));
  if (ArrayBuffer.isView(body))
    return bytesForLog(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  return {
    body: `[${Object.prototype.toString.call(body).slice(8, -1)} body not logged]`,
    bodyEncoding: 'utf8',
  };
}

/**
 * fetch for backends: a timeout on every call, and both the request and the response written to
 * the gateway message log with secrets redacted. A failed log write never blocks the call.
 */
export function createOutboundFetch(runtime: Runtime, backendId: string): BackendFetch {
  const doFetch = runtime.config.fetch ?? globalThis.fetch.bind(globalThis);
  return async (url, init, meta) => {
    const started = Date.now();
    const method = (init.method ?? 'GET').toUpperCase();
    const requestBody = loggableBody(init.body);
    const messageId = await appendToLog(
      runtime,
      {
        direction: 'outbound',
        backend: backendId,
        kind: meta.kind,
        method,
        url: runtime.redactor.text(url),
        headers: runtime.redactor.headers(new Headers(init.headers)),
        body:
          requestBody.bodyEncoding === 'utf8' ? runtime.redactor.text(requestBody.body) : requestBody.body,
        bodyEncoding: requestBody.bodyEncoding,
        paymentId: meta.paymentId ?? null,
        createdAt: runtime.now().toISOString(),
      },
      { message: 'could not log an outbound call', context: { backend: backendId, kind: meta.kind } },
    );
    const answerFailure = { message: 'could not log an outbound answer', context: { backend: backendId } };
    const timeoutMs = meta.timeoutMs ?? runtime.outboundTimeoutMs;
    let response: Response;
    try {
      response = await doFetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const detail = timedOut
        ? `timed out after ${timeoutMs} ms`
        : `network error: ${error instanceof Error ? error.message : String(error)}`;
      if (messageId) {
        await updateLog(
          runtime,
          messageId,
          { outcome: 'failed', detail: runtime.redactor.text(detail), durationMs: Date.now() - started },
          answerFailure,
        );
      }
      throw new PaybridgeError(
        'BROKER_UNAVAILABLE',
        `${backendId} ${meta.kind}: ${runtime.redactor.text(detail)}`,
        {
          cause: error,
        },
      );
    }
    if (messageId) {
      const text = await response
        .clone()
        .text()
        .catch(() => '');
      await updateLog(
        runtime,
        messageId,
        {
          outcome: String(response.status),
          responseStatus: response.status,
          responseBody: runtime.redactor.text(text.slice(0, 64_000)),
          durationMs: Date.now() - started,
        },
        answerFailure,
      );
    }
    return response;
  };
}
