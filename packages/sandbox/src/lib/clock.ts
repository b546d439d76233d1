/** The simulators' notion of time: real by default, manual in tests so retry schedules run instantly. */
export interface SandboxClock {
  now(): number;
  /** Manual clocks only: move time forward (ms). Real clocks throw. */
  advance(ms: number): void;
  readonly manual: boolean;
}

export function realClock(): SandboxClock {
  return {
    manual: false,
    now: () => Date.now(),
    advance() {
      throw new Error('advance() needs a manual clock: createSandbox({ clock: manualClock() })');
    },
  };
}

export function manualClock(start: Date | number = Date.UTC(2026, 0, 15, 12, 0, 0)): SandboxClock {
  let current = typeof start === 'number' ? start : start.getTime();
  return {
    manual: true,
    now: () => current,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError('advance() takes a non-negative number of ms');
      current += ms;
    },
  };
}

/** Real time that `advance()` can move forward (the standalone sandbox): renewals and retries on demand. */
export function offsetClock(): SandboxClock {
  let offset = 0;
  return {
    manual: false,
    now: () => Date.now() + offset,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError('advance() takes a non-negative number of ms');
      offset += ms;
    },
  };
}
