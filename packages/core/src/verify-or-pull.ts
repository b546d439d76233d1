import type { PaymentBackend } from './backend';
import { describeError } from './lib/describe-error';
import type { Runtime } from './lib/runtime';
import { canPull, pullPayment } from './reconcile';
import { hasOpenRefund } from './store';
import { type AnomalyCode, type Payment, SETTLED_STATUSES } from './types';

/**
 * The refusals that mean "could not be verified" (a signature, a postback): only these set off a pull.
 * A verified message refused for what it says (another account, another transaction, an amount)
 * was read in full; it is the broker's word about something else, and changes nothing.
 */
const UNVERIFIED: ReadonlySet<AnomalyCode> = new Set(['INVALID_SIGNATURE', 'VERIFICATION_FAILED']);

/**
 * Verify-or-pull (DESIGN §6): a notification that failed verification but names a payment we know
 * changes nothing by itself — it may be a forgery — yet a genuine one may be what a rotated key or a
 * wrong setting refused. So the payment is pulled from the broker's own API, where the backend can
 * pull, and what the broker says is applied like any pull. Anyone can send such a message: the pull
 * takes the per-payment limiter shared with the customer's return (`pullIntervalSeconds`), so a
 * flood of forged notifications costs at most one broker call per payment per interval. Only
 * payments the broker can still move are asked about: open ones, and settled ones with a refund open.
 */
export async function pullUnverified(
  runtime: Runtime,
  backend: PaymentBackend,
  code: AnomalyCode,
  payment: Payment | null,
): Promise<void> {
  if (!UNVERIFIED.has(code)) return;
  if (!payment || payment.backend !== backend.id) return;
  // What reconcile would pull: an open payment, or a settled one with a refund still open (the refused
  // message may be that refund's outcome).
  if (SETTLED_STATUSES.has(payment.status) && !hasOpenRefund(payment)) return;
  if (!canPull(backend, payment)) return;
  if (!runtime.pullLimiter.tryAcquire(payment.id)) {
    runtime.logger.info(
      'status pull after an unverified notification skipped: pulled less than pullIntervalSeconds ago',
      {
        paymentId: payment.id,
        backend: backend.id,
      },
    );
    return;
  }
  try {
    const { changed } = await pullPayment(runtime, backend, payment);
    runtime.logger.info('status pulled after an unverified notification', {
      paymentId: payment.id,
      backend: backend.id,
      changed,
    });
  } catch (error) {
    runtime.logger.warn('status pull after an unverified notification failed', {
      paymentId: payment.id,
      backend: backend.id,
      error: describeError(error),
    });
  }
}
