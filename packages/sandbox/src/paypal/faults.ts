import type { PaypalCharset } from './ipn-encoding';

/** Faults injected into the PayPal simulator; mutate `sandbox.paypal.faults` at any time. */
export interface PaypalFaults {
  /** Extra copies of each IPN (same bytes, same ipn_track_id), as retries and manual resends produce. */
  duplicate?: number;
  /** IPNs created between two flushes are delivered in reverse order (e.g. Completed before Pending). */
  reorder?: boolean;
  /** Extra delay (ms of sandbox clock) before each IPN's first delivery attempt. */
  delayMs?: number;
  /** How the verification endpoint answers postbacks (all but `INVALID` are transient failures, §7.1). */
  postback?: 'normal' | 'INVALID' | 'timeout' | 'error500' | 'error400' | 'fatal-html';
  /** With `postback: 'timeout'`: real ms the endpoint hangs (unless the caller aborts first). Default 35 000. */
  postbackHangMs?: number;
  /** A slow verification endpoint: real ms to wait (unless the caller aborts) before answering normally. */
  postbackDelayMs?: number;
  /** PayPal once stopped sending `subscr_eot` (2010): no `subscr_eot` IPN is sent while this is on (§9). */
  omitEot?: boolean;
  /**
   * Overwrite these IPN fields while the postback still VERIFIES the message: a genuine PayPal IPN for a
   * payment of a different amount, in a different currency, or to someone else's account.
   */
  tamper?: { mc_gross?: string; mc_currency?: string; receiver_email?: string; receiver_id?: string };
  /** Encoding of IPN bodies, overriding the simulator's `charset` option. */
  charset?: PaypalCharset;
  /** NVP API outage: the next `remaining` API calls get this HTTP status (no NVP body), changing nothing. */
  apiError?: { status: 500 | 503; remaining: number };
  /** NVP API hangs this many real ms before answering (unless the caller aborts): a timeout to test. */
  apiTimeoutMs?: number;
  /** The next `remaining` authenticated API calls answer `ACK=Failure` with `L_ERRORCODE0=code`, changing nothing. */
  apiFailure?: { code: string; remaining: number };
}

/**
 * PayPal's IPN retry schedule (help ts1063): first retry after 10 s, doubling each time, capped at 24 h,
 * giving up ~4 days after the first post. Delays are between consecutive attempts: 16 retries, 17 attempts.
 */
export function ipnRetryDelays(): number[] {
  const delays: number[] = [];
  const day = 24 * 3600 * 1000;
  let elapsed = 0;
  for (let retry = 0; ; retry++) {
    const delay = Math.min(10_000 * 2 ** retry, day);
    if (elapsed + delay > 4 * day) return delays;
    elapsed += delay;
    delays.push(delay);
  }
}
