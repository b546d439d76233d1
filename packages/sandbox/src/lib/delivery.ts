import type { SandboxClock } from './clock';
import type { DeliveryPolicy } from './delivery-policy';

/** One server-to-server call a simulated broker makes (IPN, PayU notification, CM-CIC return interface). */
export interface OutboundCall {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface DeliveryAttempt {
  at: number;
  status: number | null;
  body: string | null;
  error: string | null;
}

export interface Delivery {
  id: number;
  broker: 'paypal' | 'payu' | 'cmcic' | 'stripe' | 'przelewy24' | 'razorpay' | 'flutterwave';
  /** Free label for assertions ("ipn:Completed", "order:COMPLETED", "retour:paiement"). */
  label: string;
  call: OutboundCall;
  /** The broker's schedule: one delay (ms) per retry, each counted from the previous attempt's due time. */
  retryDelays: readonly number[];
  dueAt: number;
  attempts: DeliveryAttempt[];
  /** `refused`: the URL is not in the sandbox's delivery allow-list; the call is never made. */
  state: 'scheduled' | 'delivered' | 'gave-up' | 'refused';
  /** Why the call was refused (state `refused`), else null. */
  refusal: string | null;
  /** Decides whether an answer is the acknowledgement the broker expects. */
  accept(status: number, body: string): boolean;
  /** Held back until released (reordering fault). */
  held: boolean;
  /** How long the broker waits for each answer (ms). */
  timeoutMs: number;
}

export interface ScheduleOptions {
  label: string;
  retryDelays: readonly number[];
  accept: (status: number, body: string) => boolean;
  /** Extra delay before the first attempt (ms). */
  delay?: number;
  held?: boolean;
  /** Per-attempt timeout (ms). */
  timeoutMs?: number;
  /**
   * The URL comes from the sandbox owner's own configuration (a CM-CIC terminal's return URL), never
   * from a request, so the delivery allow-list does not apply to it.
   */
  ownerConfigured?: boolean;
}

/**
 * The queue of server-to-server calls. `flush()` makes every call that is due at the clock's time,
 * following each broker's retry schedule; with a manual clock, `advance()` + `flush()` runs days of
 * retries in milliseconds.
 */
export class DeliveryQueue {
  readonly deliveries: Delivery[] = [];
  private nextId = 1;
  private running: Promise<number> | null = null;
  private readonly flushHooks: Array<() => void> = [];

  constructor(
    private readonly clock: SandboxClock,
    private readonly send: (call: OutboundCall, timeoutMs: number) => Promise<Response>,
    private readonly policy: DeliveryPolicy | null = null,
  ) {}

  /** Why a call to `url` would be refused (delivery allow-list), or null. */
  refusal(url: string): string | null {
    return this.policy?.refusal(url) ?? null;
  }

  schedule(broker: Delivery['broker'], call: OutboundCall, options: ScheduleOptions): Delivery {
    const refusal = options.ownerConfigured ? null : this.refusal(call.url);
    const delivery: Delivery = {
      id: this.nextId++,
      broker,
      label: options.label,
      call,
      retryDelays: options.retryDelays,
      dueAt: this.clock.now() + (options.delay ?? 0),
      attempts: [],
      state: refusal ? 'refused' : 'scheduled',
      refusal,
      accept: options.accept,
      held: options.held ?? false,
      timeoutMs: options.timeoutMs ?? 10_000,
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  release(delivery: Delivery): void {
    delivery.held = false;
  }

  /**
   * Run `hook` at the start of every flush pass, before due calls are picked: simulators use it to
   * create calls that depend on the clock (subscription renewals) or to release batches in a chosen order.
   */
  onFlush(hook: () => void): void {
    this.flushHooks.push(hook);
  }

  pending(): Delivery[] {
    return this.deliveries.filter((d) => d.state === 'scheduled');
  }

  /** Deliver every call due now (repeatedly, since a delivery may schedule others). Returns attempts made. */
  flush(): Promise<number> {
    // One flush at a time: concurrent flushes would deliver the same due call twice.
    this.running ??= this.flushNow().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async flushNow(): Promise<number> {
    let attempts = 0;
    for (;;) {
      for (const hook of this.flushHooks) hook();
      const due = this.deliveries.filter(
        (d) => d.state === 'scheduled' && !d.held && d.dueAt <= this.clock.now(),
      );
      if (due.length === 0) return attempts;
      for (const delivery of due) {
        attempts++;
        await this.attempt(delivery);
      }
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const at = this.clock.now();
    const { timeoutMs } = delivery;
    let record: DeliveryAttempt;
    try {
      // The broker stops waiting after its timeout whether or not the merchant honours the abort signal.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const answer = (async () => {
          const response = await this.send(delivery.call, timeoutMs);
          return { status: response.status, body: await response.text() };
        })();
        answer.catch(() => {});
        const { status, body } = await Promise.race([answer, timeout]);
        record = { at, status, body, error: null };
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      record = {
        at,
        status: null,
        body: null,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    delivery.attempts.push(record);
    if (record.status !== null && delivery.accept(record.status, record.body ?? '')) {
      delivery.state = 'delivered';
      return;
    }
    const retryIndex = delivery.attempts.length - 1;
    const delay = delivery.retryDelays[retryIndex];
    if (delay === undefined) {
      delivery.state = 'gave-up';
      return;
    }
    // Count from the attempt's due time, not from when it ran: after a manual clock jumps days ahead,
    // the next flush catches up on every retry the broker would have made meanwhile.
    delivery.dueAt += delay;
  }
}
