import { payuError } from './http';

/**
 * Faults a test can switch on at any time through `sandbox.payu.faults` (a mutable object).
 * Each reproduces something PayU really does, or a network failure a backend must survive.
 */
export interface PayuFaults {
  /** Deliver every notification this many extra times (PayU delivery is at-least-once, reference §4.4). */
  duplicate?: number;
  /** After a COMPLETED notification, also deliver a stale CANCELED one (seen in the wild, reference §4.4). */
  staleCanceledAfterCompleted?: boolean;
  /**
   * The notifications of one buyer action arrive newest first: COMPLETED, WAITING_FOR_CONFIRMATION or
   * CANCELED before the PENDING that preceded it (PayU's delivery is asynchronous and unordered, reference §4.4).
   */
  reorder?: boolean;
  /**
   * How notifications are signed: `valid` (default), `forged` (a signature made with another key),
   * `missing` (no signature headers), `sha256` (SHA-256 instead of the configured algorithm).
   */
  signature?: 'valid' | 'forged' | 'missing' | 'sha256';
  /** The next `remaining` API calls (below /api/v2_1/) answer this 5xx with PayU's error body. */
  apiError?: { status: 500 | 503; remaining: number };
  /** Delay every API answer (OAuth and /api/v2_1/) by this many real milliseconds; aborts honour the request's signal. */
  apiTimeoutMs?: number;
  /**
   * Carry out every call below /api/v2_1/ at once, then hold its answer back this many real
   * milliseconds: a timeout after PayU did the work (the order exists, the capture happened).
   */
  apiLateAnswerMs?: number;
  /** Refund notifications carry only refundId, status, reason and refundDate, like a panel refund (openpayu_php #112). */
  refundWithoutAmount?: boolean;
}

function sleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // A caller that gave up (its own timeout) sees the abort, exactly as over a real socket.
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Applies the delay fault to any API call. */
export async function delayFault(faults: PayuFaults, request: Request): Promise<void> {
  if (faults.apiTimeoutMs && faults.apiTimeoutMs > 0) await sleep(faults.apiTimeoutMs, request.signal);
}

/** Applies the late-answer fault to an API call that has already been carried out. */
export async function lateAnswerFault(faults: PayuFaults, request: Request): Promise<void> {
  if (faults.apiLateAnswerMs && faults.apiLateAnswerMs > 0)
    await sleep(faults.apiLateAnswerMs, request.signal);
}

/** Applies the 5xx fault to a /api/v2_1/ call; null when the call proceeds normally. */
export function errorFault(faults: PayuFaults): Response | null {
  const fault = faults.apiError;
  if (!fault || fault.remaining <= 0) return null;
  fault.remaining--;
  return fault.status === 503
    ? payuError(503, 'SERVICE_NOT_AVAILABLE', { statusDesc: 'Service temporarily unavailable' })
    : payuError(500, 'GENERAL_ERROR', { severity: 'ERROR', statusDesc: 'Unexpected error' });
}
