import { type CmcicSimulator, type CmcicSimulatorOptions, createCmcicSimulator } from './cmcic/index';
import { realClock, type SandboxClock } from './lib/clock';
import { DeliveryQueue, type OutboundCall } from './lib/delivery';
import type { BrokerSimulator, SimulatorEnv } from './lib/simulator';
import { createPaypalSimulator, type PaypalSimulator, type PaypalSimulatorOptions } from './paypal/index';
import { createPayuSimulator, type PayuSimulator, type PayuSimulatorOptions } from './payu/index';
import { createStripeSimulator, type StripeSimulator, type StripeSimulatorOptions } from './stripe/index';

export * from './cmcic/index';
export { manualClock, realClock, type SandboxClock } from './lib/clock';
export type { Delivery, DeliveryAttempt, OutboundCall } from './lib/delivery';
export { type BrowserStep, SESSION_HEADER } from './lib/simulator';
export * from './paypal/index';
export * from './payu/index';
export * from './stripe/index';

export interface SandboxOptions {
  /** Absolute URL where `handler` is reachable, e.g. http://localhost:4000/sandbox. */
  baseUrl: string;
  clock?: SandboxClock;
  /** How the brokers reach the merchant (defaults to global fetch; tests route to a bridge in-process). */
  fetch?: (request: Request) => Promise<Response>;
  paypal?: PaypalSimulatorOptions;
  payu?: PayuSimulatorOptions;
  cmcic?: CmcicSimulatorOptions;
  stripe?: StripeSimulatorOptions;
}

export interface Sandbox {
  /**
   * Serves /paypal/…, /payu/…, /cmcic/…, /stripe/… below `baseUrl`, and Stripe's API also at /v1/…
   * (the official client cannot add a path prefix: it only takes host, port and protocol).
   */
  handler(request: Request): Promise<Response>;
  readonly baseUrl: string;
  readonly clock: SandboxClock;
  readonly queue: DeliveryQueue;
  readonly paypal: PaypalSimulator;
  readonly payu: PayuSimulator;
  readonly cmcic: CmcicSimulator;
  readonly stripe: StripeSimulator;
  /** Make every server-to-server call that is due now. */
  flush(): Promise<number>;
  /** Advance a manual clock and flush. */
  advance(ms: number): Promise<number>;
  /** Deliver due calls in the background on a real clock (demo, CLI). */
  start(intervalMs?: number): void;
  stop(): void;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const clock = options.clock ?? realClock();
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const queue = new DeliveryQueue(clock, async (call: OutboundCall, timeoutMs: number) => {
    const request = new Request(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.method === 'POST' ? (call.body as BodyInit) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return send(request);
  });
  const env = (broker: string): SimulatorEnv => ({ baseUrl: `${baseUrl}/${broker}`, clock, queue });
  const paypal = createPaypalSimulator(env('paypal'), options.paypal);
  const payu = createPayuSimulator(env('payu'), options.payu);
  const cmcic = createCmcicSimulator(env('cmcic'), options.cmcic);
  const stripe = createStripeSimulator(env('stripe'), options.stripe);
  const brokers: Record<string, BrokerSimulator> = { paypal, payu, cmcic, stripe };
  let timer: ReturnType<typeof setInterval> | null = null;

  return {
    baseUrl,
    clock,
    queue,
    paypal,
    payu,
    cmcic,
    stripe,
    async handler(request) {
      const path = new URL(request.url).pathname;
      const rest = path.startsWith(basePath) ? path.slice(basePath.length) : path;
      if (rest.startsWith('/v1/')) return stripe.handle(request, rest);
      const match = /^\/(paypal|payu|cmcic|stripe)(\/.*)?$/.exec(rest);
      const broker = match ? brokers[match[1] as string] : undefined;
      if (!match || !broker) {
        return new Response('Not found in the paybridge sandbox', { status: 404 });
      }
      return broker.handle(request, match[2] ?? '/');
    },
    flush: () => queue.flush(),
    async advance(ms) {
      clock.advance(ms);
      return queue.flush();
    },
    start(intervalMs = 250) {
      timer ??= setInterval(() => {
        queue.flush().catch(() => {});
      }, intervalMs);
      (timer as { unref?: () => void }).unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
