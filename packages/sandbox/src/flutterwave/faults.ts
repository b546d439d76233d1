import { errorJson } from './http';

/**
 * Faults a test switches on through `sandbox.flutterwave.faults` (a mutable object); each is a thing
 * Flutterwave or the network really does that a backend must survive.
 */
export interface FlutterwaveFaults {
  /** Deliver every webhook this many extra times (delivery is at-least-once, reference §5.3). */
  duplicate?: number;
  /** Hold webhooks back; `releaseHeld()` then delivers them newest first (out of order). */
  reorder?: boolean;
  /** `forged`: verif-hash and flutterwave-signature made with another secret; `missing`: neither header. */
  signature?: 'valid' | 'forged' | 'missing';
  /** Webhooks are lost (never sent): only a status pull finds the payment. */
  dropWebhooks?: boolean;
  /** The next `remaining` API calls (below /v3/, not the hosted page) answer this 5xx. */
  apiError?: { status: 500 | 502 | 503; remaining: number };
  /**
   * The next this-many refund calls are carried out, then their answer is lost (a 502 comes back):
   * v3 refunds take no idempotency key (reference §7.2), so a blind retry would refund twice.
   */
  loseRefundAnswers?: number;
}

/** After a refund was made: the 502 that replaces its answer when `loseRefundAnswers` is on. */
export function lostAnswerFault(faults: FlutterwaveFaults): Response | null {
  if (!faults.loseRefundAnswers || faults.loseRefundAnswers <= 0) return null;
  faults.loseRefundAnswers--;
  return errorJson(502, 'Bad gateway');
}

/** The 5xx fault for one API call; null when the call proceeds. */
export function apiErrorFault(faults: FlutterwaveFaults): Response | null {
  const fault = faults.apiError;
  if (!fault || fault.remaining <= 0) return null;
  fault.remaining--;
  return errorJson(fault.status, 'Service temporarily unavailable, please try again');
}
