import type { InboundMessage, PaymentBackend } from '../backend';
import { PaybridgeError } from '../errors';
import { backendContext } from '../lib/backend-context';
import { readBody } from '../lib/body';
import { describeError } from '../lib/describe-error';
import { appendToLog, inboundRecord, logBody } from '../lib/message-log';
import { seeOther } from '../lib/responses';
import { getBackend } from '../lib/runtime';
import { statusPage } from '../lib/status-page';
import { sync } from '../operations';
import { type Payment, SETTLED_STATUSES } from '../types';
import type { RouteContext } from './context';

type ReturnHint = 'success' | 'failure' | 'unknown';

/** A return as the route has read it: the backend and payment it names, its bytes, the hint of its URL. */
interface ReturnRead {
  backend: PaymentBackend;
  payment: Payment;
  body: Uint8Array;
  hint: ReturnHint;
}

/**
 * `ANY /return/:backend/:paymentId`: the customer back from the broker. Never proof of payment; it
 * is logged, the backend may read a hint from it and ask for a status pull (rate-limited), then the
 * customer is sent to the order's success or failure URL.
 */
export async function returnRoute(route: RouteContext): Promise<Response> {
  const { runtime, request, url, segments, baseUrl } = route;
  const backend = getBackend(runtime, segments[0] ?? '');
  const found = await runtime.store.getPayment(segments[1] ?? '');
  if (!found || found.backend !== backend.id) throw new PaybridgeError('UNKNOWN_PAYMENT', 'no such payment');
  const body = await readBody(request, runtime.maxBodyBytes);
  await logReturn(route, found, body);
  const cancelled: ReturnHint = url.searchParams.get('cancel') === '1' ? 'failure' : 'unknown';
  const { payment, hint } = await askBackend(route, { backend, payment: found, body, hint: cancelled });
  const failed = payment.status === 'failed' || payment.status === 'expired' || hint === 'failure';
  const target = failed ? (payment.failureUrl ?? payment.successUrl) : payment.successUrl;
  if (!target) return statusPage(payment, baseUrl);
  const location = new URL(target);
  location.searchParams.set('payment', payment.id);
  return seeOther(location.toString());
}

/** The customer's return is logged like any broker message; anyone can send one, so its body is cut to the log's limit. */
async function logReturn({ runtime, request }: RouteContext, payment: Payment, body: Uint8Array) {
  const logged = logBody(runtime, body, false);
  const record = inboundRecord(runtime, payment.backend, request, {
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
}

/**
 * The backend, if it reads returns, reads this one (a hint, whether to pull); a pull it asks for
 * brings the payment up to date. Whatever fails here, the customer is still sent on with what is known.
 */
async function askBackend(
  { runtime, request, baseUrl, clientIp }: RouteContext,
  { backend, payment, body, hint }: ReturnRead,
): Promise<{ payment: Payment; hint: ReturnHint }> {
  if (!backend.handleReturn) return { payment, hint };
  const paymentId = payment.id;
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
    const read = hint === 'unknown' ? outcome.hint : hint;
    // A return is unauthenticated: its pull is skipped for a settled payment and rate-limited per
    // payment, so a flood of returns cannot make the server call the broker (issue 14 item 4).
    const pullable =
      outcome.pull &&
      backend.capabilities.pull &&
      backend.fetchStatus &&
      !SETTLED_STATUSES.has(payment.status);
    if (!pullable) return { payment, hint: read };
    if (!runtime.pullLimiter.tryAcquire(payment.id)) {
      runtime.logger.info('status pull on return skipped: pulled less than pullIntervalSeconds ago', {
        paymentId,
      });
      return { payment, hint: read };
    }
    const pulled = await sync(runtime, baseUrl, payment.id).catch((error) => {
      runtime.logger.warn('status pull on return failed', { paymentId, error: describeError(error) });
      return payment;
    });
    return { payment: pulled, hint: read };
  } catch (error) {
    runtime.logger.warn('backend could not read the return', { paymentId, error: describeError(error) });
    return { payment, hint };
  }
}
