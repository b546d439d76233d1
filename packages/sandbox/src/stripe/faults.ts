import { StripeFailure } from './http';

/**
 * Faults a test can switch on at any time through `sandbox.stripe.faults` (a mutable object). Each
 * reproduces something Stripe really does (reference §5.4, §11) or a failure a backend must survive.
 */
export interface StripeFaults {
  /** Deliver every webhook this many extra times (at-least-once delivery, reference §5.4). */
  duplicate?: number;
  /** The events of one action arrive newest first (Stripe does not order deliveries, reference §11.4). */
  reorder?: boolean;
  /**
   * How webhooks are signed: `valid` (default), `forged` (HMAC with another secret), `missing` (no
   * Stripe-Signature header), `stale` (a timestamp `staleBySeconds` in the past, default 600 s, beyond
   * the 300 s tolerance).
   */
  signature?: 'valid' | 'forged' | 'missing' | 'stale';
  staleBySeconds?: number;
  /**
   * The next `remaining` API calls answer this status with Stripe's error body, before doing anything
   * (so nothing is stored under their Idempotency-Key). 429 carries `Retry-After: retryAfterSeconds`.
   */
  apiError?: { status: 429 | 500 | 502 | 503; remaining: number; retryAfterSeconds?: number };
}

/** Applies the API error fault; null when the call proceeds. */
export function apiErrorFault(faults: StripeFaults): StripeFailure | null {
  const fault = faults.apiError;
  if (!fault || fault.remaining <= 0) return null;
  fault.remaining--;
  if (fault.status === 429) {
    return new StripeFailure(
      429,
      {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message:
          'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
        doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
      },
      false,
      { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
    );
  }
  return new StripeFailure(fault.status, {
    type: 'api_error',
    message: 'An unknown error occurred while processing your request (sandbox fault).',
  });
}
