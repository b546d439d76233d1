import type { InboundMessage } from './backend';
import { PaybridgeError } from './errors';
import { readBody } from './lib/body';
import { describeError } from './lib/describe-error';
import { escapeHtml, htmlPage } from './lib/html';
import { appendToLog, inboundRecord, logBody } from './lib/message-log';
import { backendContext, getBackend, type Runtime } from './lib/runtime';
import { sync } from './operations';
import { type Payment, SETTLED_STATUSES } from './types';

/**
 * `ANY /return/:backend/:paymentId`: the customer back from the broker. Never proof of payment; it
 * is logged, the backend may read a hint from it and ask for a status pull (rate-limited), then the
 * customer is sent to the order's success or failure URL.
 */
export async function handleReturn(
  runtime: Runtime,
  backendId: string,
  paymentId: string,
  request: Request,
  url: URL,
  baseUrl: string,
  clientIp: string | null,
): Promise<Response> {
  const backend = getBackend(runtime, backendId);
  let payment = await runtime.store.getPayment(paymentId);
  if (!payment || payment.backend !== backend.id)
    throw new PaybridgeError('UNKNOWN_PAYMENT', 'no such payment');
  const body = await readBody(request, runtime.maxBodyBytes);
  // The customer's return is logged like any broker message, and is never proof of payment; anyone
  // can send one, so its body is kept only up to the log's limit.
  const logged = logBody(runtime, body, false);
  const record = inboundRecord(runtime, backend.id, request, {
    kind: 'return',
    body: logged.body,
    bodyEncoding: logged.bodyEncoding,
    verdict: 'unverified',
    outcome: 'return',
    paymentId: payment.id,
    ...(logged.truncated ? { detail: logged.truncated } : {}),
    createdAt: runtime.now().toISOString(),
  });
  await appendToLog(runtime, record, { message: 'could not log a return' });
  let hint: 'success' | 'failure' | 'unknown' =
    url.searchParams.get('cancel') === '1' ? 'failure' : 'unknown';
  if (backend.handleReturn) {
    const message: InboundMessage = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body,
      clientIp,
      receivedAt: runtime.now(),
    };
    try {
      const outcome = await backend.handleReturn(
        message,
        payment,
        backendContext(runtime, backend, baseUrl, clientIp),
      );
      if (hint === 'unknown') hint = outcome.hint;
      // A return is unauthenticated: its pull is skipped for a settled payment and rate-limited per
      // payment, so a flood of returns cannot make the server call the broker (issue 14 item 4).
      const pullable =
        outcome.pull &&
        backend.capabilities.pull &&
        backend.fetchStatus &&
        !SETTLED_STATUSES.has(payment.status);
      if (pullable && !runtime.pullLimiter.tryAcquire(payment.id)) {
        runtime.logger.info('status pull on return skipped: pulled less than pullIntervalSeconds ago', {
          paymentId,
        });
      } else if (pullable) {
        payment = await sync(runtime, baseUrl, payment.id).catch((error) => {
          runtime.logger.warn('status pull on return failed', { paymentId, error: describeError(error) });
          return payment as Payment;
        });
      }
    } catch (error) {
      runtime.logger.warn('backend could not read the return', { paymentId, error: describeError(error) });
    }
  }
  const failed = payment.status === 'failed' || payment.status === 'expired' || hint === 'failure';
  const target = failed ? (payment.failureUrl ?? payment.successUrl) : payment.successUrl;
  if (target) {
    const location = new URL(target);
    location.searchParams.set('payment', payment.id);
    return new Response(null, {
      status: 303,
      headers: { location: location.toString(), 'cache-control': 'no-store' },
    });
  }
  return statusPage(payment, baseUrl);
}

/** A minimal waiting page when the merchant gave no return URL: polls the public status. */
function statusPage(payment: Payment, baseUrl: string): Response {
  const statusUrl = `${baseUrl}/status/${encodeURIComponent(payment.id)}`;
  return htmlPage(
    'Payment status',
    `<h1>Payment</h1><p role="status" aria-live="polite" id="status">Status: <strong>${escapeHtml(payment.status)}</strong></p>` +
      `<script>(function(){var el=document.getElementById('status');function poll(){fetch(${JSON.stringify(statusUrl).replaceAll('<', '\\u003c')}).then(function(r){return r.json()}).then(function(s){el.innerHTML='Status: <strong>'+s.status+'</strong>';if(!s.settled)setTimeout(poll,1500)}).catch(function(){setTimeout(poll,3000)})}poll()})()</script>`,
  );
}
