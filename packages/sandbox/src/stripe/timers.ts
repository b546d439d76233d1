import type { StripeState } from './model';

/** Runs the clock's due work (expiries, debits settling, renewals, refund failures) in time order. */
export function runTimers(state: StripeState): void {
  for (;;) {
    const now = state.env.clock.now();
    state.timers.sort((a, b) => a.at - b.at);
    const next = state.timers[0];
    if (!next || next.at > now) return;
    state.timers.shift();
    next.run();
  }
}
