import type { PaymentBackend } from './backend';
import { PaybridgeError, toPaybridgeError } from './errors';
import { allPayments } from './lib/all-payments';
import { applyPaymentFacts } from './lib/apply-facts';
import { backendContext } from './lib/backend-context';
import { deliverSafely, emitAnomaly } from './lib/delivery';
import { describeError } from './lib/describe-error';
import type { Runtime } from './lib/runtime';
import { hasOpenRefund, isOpenRefund } from './store';
import { OPEN_STATUSES, type OpenStatus, type Payment, type PaymentStatus } from './types';

export interface ReconcileOptions {
  /**
   * Only payments created at least this many seconds ago (default 300): a fresh payment's
   * notification is probably on its way. 0 takes every open payment.
   */
  olderThan?: number;
  /** Which open statuses to pull (default all: new, pending, authorized). */
  statuses?: readonly OpenStatus[];
  /**
   * After the open payments, also pull payments with a refund still open (default true): a refund
   * whose notification was lost, or whose broker sends none, settles on the next pass. `olderThan`
   * applies to the refund's last change. False leaves them out.
   */
  openRefunds?: boolean;
  /** At most this many payments are pulled in one pass (default 500): the rest wait for the next one. */
  limit?: number;
  /** Stops the pass between two payments (those already pulled stay applied). */
  signal?: AbortSignal;
  /** Called after each listed payment is dealt with (a progress bar, a per-backend tally). */
  onProgress?: (progress: ReconcileProgress) => void;
}

/** One step of a pass: `done` of `total` listed payments, and what happened to this one. */
export interface ReconcileProgress {
  done: number;
  total: number;
  paymentId: string;
  /** The payment's backend (null when the payment was gone by the time it was read). */
  backend: string | null;
  /** `settled`: settled since the list was read, nothing to ask; `skipped`: the backend cannot pull it. */
  outcome: 'changed' | 'unchanged' | 'failed' | 'skipped' | 'settled';
}

export interface ReconcileFailure {
  paymentId: string;
  backend: string;
  code: string;
  message: string;
}

export interface ReconcileResult {
  /** Payments whose status the broker was asked for. */
  pulled: number;
  /** Of `pulled`, payments pulled for a refund still open (`openRefunds`), not for their status. */
  refundsPulled: number;
  /** Of those, payments the broker's answer changed (status, amounts, refunds). */
  changed: number;
  /** Of those, payments already in step with the broker (or changed by another pass at once). */
  unchanged: number;
  /** Pulls that failed (broker down, refused credentials), with the reason: retried next pass. */
  failed: ReconcileFailure[];
  /** Listed payments whose backend cannot pull, or that carry no reference the broker knows yet. */
  skippedNotPullable: number;
  /** True when the pass stopped at `limit` or on `signal` before the end of the list. */
  incomplete: boolean;
}

/**
 * Whether this payment can be asked about now: a backend that pulls (capability and `fetchStatus`),
 * unless its `canPull` says the payment carries no reference the broker knows yet.
 */
export function canPull(backend: PaymentBackend | undefined, payment: Payment): backend is PaymentBackend {
  if (!backend?.capabilities.pull || !backend.fetchStatus) return false;
  return backend.canPull ? backend.canPull(payment) : true;
}

/** The base URL a pull outside a request runs under (fetchStatus builds no links from it). */
export function operationBaseUrl(runtime: Runtime): string {
  return (runtime.config.baseUrl ?? '').replace(/\/+$/, '');
}

/** One pull of one payment through the pipeline: facts claimed by event id under compare-and-set. */
export async function pullPayment(
  runtime: Runtime,
  backend: PaymentBackend,
  payment: Payment,
): Promise<{ changed: boolean; payment: Payment }> {
  const ctx = backendContext(runtime, backend, operationBaseUrl(runtime), null);
  const facts = await backend.fetchStatus!(payment, ctx);
  if (facts.length === 0) return { changed: false, payment };
  const { result, anomalies } = await applyPaymentFacts(runtime, backend, {
    paymentId: payment.id,
    facts,
    expected: payment,
  });
  await deliverSafely(runtime, result.transitions, result.payment);
  for (const anomaly of anomalies) await emitAnomaly(runtime, backend.id, anomaly, result.payment);
  return { changed: result.outcome === 'applied', payment: result.payment };
}

/**
 * Pull every open payment, then every payment with a refund still open, from its broker and apply
 * what the broker says, through the same pipeline as a notification: a fact's event id is claimed
 * once, ever, so two passes running at once (two instances, an overlapping cron) apply and announce
 * each change exactly once.
 */
export async function reconcile(runtime: Runtime, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const olderThan = options.olderThan ?? 300;
  if (!(Number.isFinite(olderThan) && olderThan >= 0))
    throw new PaybridgeError('BAD_REQUEST', 'olderThan must be a number of seconds ≥ 0');
  const limit = options.limit ?? 500;
  if (!(Number.isSafeInteger(limit) && limit > 0))
    throw new PaybridgeError('BAD_REQUEST', 'limit must be a positive integer');
  const statuses = options.statuses ?? OPEN_STATUSES;
  for (const status of statuses) {
    if (!(OPEN_STATUSES as readonly string[]).includes(status))
      throw new PaybridgeError(
        'BAD_REQUEST',
        `reconcile pulls open payments only (${OPEN_STATUSES.join(', ')})`,
      );
  }
  // 0 takes every open payment, including one created this very millisecond.
  const before =
    olderThan > 0 ? new Date(runtime.now().getTime() - olderThan * 1000).toISOString() : undefined;
  const result: ReconcileResult = {
    pulled: 0,
    refundsPulled: 0,
    changed: 0,
    unchanged: 0,
    failed: [],
    skippedNotPullable: 0,
    incomplete: false,
  };
  // The whole list first (ids only), then the pulls: a change while paging would shift the pages.
  const open = await listOpen(runtime, statuses as readonly PaymentStatus[], before);
  const refunds = options.openRefunds === false ? [] : await listOpenRefunds(runtime, before);
  const listed = new Set(open);
  const forRefund = new Set(refunds.filter((id) => !listed.has(id)));
  const candidates = [...open, ...forRefund];
  let done = 0;
  const progress = (paymentId: string, backend: string | null, outcome: ReconcileProgress['outcome']) =>
    options.onProgress?.({ done: ++done, total: candidates.length, paymentId, backend, outcome });
  for (const paymentId of candidates) {
    if (options.signal?.aborted || result.pulled + result.failed.length >= limit) {
      result.incomplete = true;
      break;
    }
    const payment = await runtime.store.getPayment(paymentId);
    // Settled since the list was read (a notification, another pass): nothing to ask.
    const due = (p: Payment) =>
      forRefund.has(paymentId) ? hasOpenRefund(p) : (OPEN_STATUSES as readonly string[]).includes(p.status);
    if (!payment || !due(payment)) {
      progress(paymentId, payment?.backend ?? null, 'settled');
      continue;
    }
    const backend = runtime.backends.get(payment.backend);
    if (!canPull(backend, payment)) {
      result.skippedNotPullable++;
      progress(paymentId, payment.backend, 'skipped');
      continue;
    }
    try {
      const pulled = await pullPayment(runtime, backend, payment);
      result.pulled++;
      if (forRefund.has(paymentId)) result.refundsPulled++;
      if (pulled.changed) result.changed++;
      else result.unchanged++;
      progress(paymentId, backend.id, pulled.changed ? 'changed' : 'unchanged');
    } catch (error) {
      const failure = toPaybridgeError(error);
      runtime.logger.warn('reconcile: status pull failed', {
        paymentId,
        backend: backend.id,
        code: failure.code,
        error: describeError(error),
      });
      result.failed.push({ paymentId, backend: backend.id, code: failure.code, message: failure.message });
      progress(paymentId, backend.id, 'failed');
    }
  }
  runtime.logger.info('reconcile pass done', {
    pulled: result.pulled,
    refundsPulled: result.refundsPulled,
    changed: result.changed,
    unchanged: result.unchanged,
    failed: result.failed.length,
    skippedNotPullable: result.skippedNotPullable,
    incomplete: result.incomplete,
  });
  return result;
}

async function listOpen(
  runtime: Runtime,
  statuses: readonly PaymentStatus[],
  createdBefore: string | undefined,
): Promise<string[]> {
  const ids: string[] = [];
  for (const status of statuses) {
    const payments = await allPayments(runtime.store, {
      status,
      ...(createdBefore ? { createdBefore } : {}),
      limit: 200,
    });
    ids.push(...payments.map((p) => p.id));
  }
  // Oldest first: the payments waiting longest are asked about first when `limit` cuts the pass.
  return ids.reverse();
}

/**
 * Payments with a refund still open whose oldest open refund last changed before `before`, that
 * refund's oldest first. Few rows however many payments there are (stores index `refundOpen`), so
 * the refund's own time is read here rather than asked of the store.
 */
async function listOpenRefunds(runtime: Runtime, before: string | undefined): Promise<string[]> {
  const due: Array<{ id: string; since: string }> = [];
  for (const payment of await allPayments(runtime.store, { refundOpen: true, limit: 200 })) {
    const times = payment.refunds.filter(isOpenRefund).map((entry) => entry.updatedAt);
    // ISO instants: the first in order is the oldest. None: settled between filter and read.
    const since = times.sort()[0];
    if (since !== undefined && (before === undefined || since < before)) due.push({ id: payment.id, since });
  }
  return due.sort((a, b) => (a.since === b.since ? 0 : a.since < b.since ? -1 : 1)).map((d) => d.id);
}
