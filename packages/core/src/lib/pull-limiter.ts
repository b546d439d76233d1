/**
 * At most one broker status pull per payment per interval, for pulls that unauthenticated requests
 * set off (the customer's return, and an unverifiable notification naming a known payment:
 * verify-or-pull, issue 15, takes this same limiter): without it, every `GET /return/:backend/:paymentId` —
 * anyone can send them — makes the server call the broker and write the call to the message log.
 *
 * Per process and in memory: N instances allow at most N pulls per payment per interval, which still
 * bounds what a flood costs. The table forgets the oldest payments beyond `maxEntries`, so a flood
 * over many payment ids cannot grow it without bound.
 */
export interface PullLimiter {
  /** True when a pull of this payment may go ahead now — and counts it; false while the last one is younger than the interval. */
  tryAcquire(paymentId: string): boolean;
  /** Milliseconds between two pulls of one payment (0: no limit). */
  readonly intervalMs: number;
}

export function createPullLimiter(options: {
  intervalMs: number;
  now: () => Date;
  maxEntries?: number;
}): PullLimiter {
  const { intervalMs, now } = options;
  const maxEntries = options.maxEntries ?? 10_000;
  const lastPull = new Map<string, number>();
  return {
    intervalMs,
    tryAcquire(paymentId) {
      if (intervalMs <= 0) return true;
      const at = now().getTime();
      const last = lastPull.get(paymentId);
      if (last !== undefined && at - last < intervalMs && at >= last) return false;
      // Re-inserted so that the Map's order is the order of the last pulls (oldest first).
      lastPull.delete(paymentId);
      lastPull.set(paymentId, at);
      for (const [id, when] of lastPull) {
        if (lastPull.size <= maxEntries && at - when < intervalMs) break;
        lastPull.delete(id);
      }
      return true;
    },
  };
}
