import { razorpayError } from './http';

/**
 * Faults a test can switch on at any time through `sandbox.razorpay.faults` (a mutable object), each
 * something Razorpay really does (§7.4: at-least-once, unordered) or a failure a backend must survive.
 */
export interface RazorpayFaults {
  /** Deliver every webhook this many extra times, with the same `X-Razorpay-Event-Id`. */
  duplicate?: number;
  /** The webhooks of one buyer action go out newest first (`payment_link.paid` before `payment.captured`). */
  reorder?: boolean;
  /** `forged`: signed with another secret; `missing`: no `X-Razorpay-Signature`. */
  signature?: 'valid' | 'forged' | 'missing';
  /** Send no webhook at all (a lost notification; only a pull finds the payment). */
  dropWebhooks?: boolean;
  /** The next `remaining` API calls answer this 5xx. */
  apiError?: { status: 500 | 502 | 503; remaining: number };
}

export function apiErrorFault(faults: RazorpayFaults): Response | null {
  const fault = faults.apiError;
  if (!fault || fault.remaining <= 0) return null;
  fault.remaining--;
  return razorpayError(fault.status, 'We are facing some trouble completing your request at the moment.', {
    code: 'SERVER_ERROR',
  });
}
