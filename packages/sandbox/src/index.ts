import { type CmcicSimulator, type CmcicSimulatorOptions, createCmcicSimulator } from './cmcic/index';
import { controlRoutes } from './control/routes';
import {
  createFlutterwaveSimulator,
  type FlutterwaveSimulator,
  type FlutterwaveSimulatorOptions,
} from './flutterwave/index';
import { realClock, type SandboxClock } from './lib/clock';
import { DeliveryQueue, type OutboundCall } from './lib/delivery';
import { deliveryPolicy } from './lib/delivery-policy';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, withBoundedBody } from './lib/http-guard';
import type { BrokerSimulator, SimulatorEnv } from './lib/simulator';
import { createPaypalSimulator, type PaypalSimulator, type PaypalSimulatorOptions } from './paypal/index';
import { createPayuSimulator, type PayuSimulator, type PayuSimulatorOptions } from './payu/index';
import {
  createPrzelewy24Simulator,
  type Przelewy24Simulator,
  type Przelewy24SimulatorOptions,
} from './przelewy24/index';
import {
  createRazorpaySimulator,
  type RazorpaySimulator,
  type RazorpaySimulatorOptions,
} from './razorpay/index';
import { errorResponse, newRequestId, tooLarge } from './stripe/http';
import { createStripeSimulator, type StripeSimulator, type StripeSimulatorOptions } from './stripe/index';
import { type TestCredentials, testCredentials } from './test-credentials';

export * from './cmcic/index';
export { CONTROL_ERRORS, type ControlErrorCode } from './control/http';
export * from './flutterwave/index';
export { manualClock, offsetClock, realClock, type SandboxClock } from './lib/clock';
export type { Delivery, DeliveryAttempt, OutboundCall } from './lib/delivery';
export { DEFAULT_MAX_BODY_BYTES } from './lib/http-guard';
export { type BrowserStep, SESSION_HEADER } from './lib/simulator';
export * from './paypal/index';
export * from './payu/index';
export * from './przelewy24/index';
export * from './razorpay/index';
export {
  BROKER_BASE_PATHS,
  createStandaloneSandbox,
  STANDALONE_FLAGS,
  StandaloneOptionError,
  type StandaloneValues,
  standaloneBanner,
} from './standalone';
export * from './stripe/index';
export {
  CMCIC_TEST_CARD_OUTCOMES,
  credentialsText,
  DEFAULT_CMCIC_TPES,
  HOSTED_PAGE_OUTCOMES,
  STRIPE_TEST_CARD_OUTCOMES,
  type TestCredentials,
} from './test-credentials';

import { PLAIN_TEXT, withOwnHeaders } from './lib/response';

export interface SandboxOptions {
  /** Absolute URL where `handler` is reachable, e.g. http://localhost:4000/sandbox. */
  baseUrl: string;
  clock?: SandboxClock;
  /** How the brokers reach the merchant (defaults to global fetch; tests route to a bridge in-process). */
  fetch?: (request: Request) => Promise<Response>;
  /**
   * URL prefixes (scheme, host, port, optionally a path prefix) the brokers' server-to-server calls may
   * go to; any other IPN or notification URL is refused and never called. Default: with your own
   * `fetch`, every URL is handed to it (it decides where calls go); with the global fetch, none.
   * CM-CIC terminals' return URLs are your own configuration and always allowed.
   */
  deliveryAllowList?: string[];
  /** Largest request body any endpoint reads (413 beyond). Default 256 KiB, as the bridge's routes. */
  maxBodyBytes?: number;
  /** Serve the JSON control routes below `<baseUrl>/_control` (README). Default false. */
  controlRoutes?: boolean;
  paypal?: PaypalSimulatorOptions;
  payu?: PayuSimulatorOptions;
  cmcic?: CmcicSimulatorOptions;
  stripe?: StripeSimulatorOptions;
  przelewy24?: Przelewy24SimulatorOptions;
  razorpay?: RazorpaySimulatorOptions;
  flutterwave?: FlutterwaveSimulatorOptions;
}

export interface Sandbox {
  /**
   * Serves /paypal/…, /payu/…, /cmcic/…, /stripe/…, /przelewy24/… (and /_control/… when enabled) below `baseUrl`, and
   * Stripe's API also at /v1/… (the official client cannot add a path prefix: it only takes host, port
   * and protocol).
   */
  handler(request: Request): Promise<Response>;
  readonly baseUrl: string;
  readonly clock: SandboxClock;
  readonly queue: DeliveryQueue;
  readonly paypal: PaypalSimulator;
  readonly payu: PayuSimulator;
  readonly cmcic: CmcicSimulator;
  readonly stripe: StripeSimulator;
  readonly przelewy24: Przelewy24Simulator;
  readonly razorpay: RazorpaySimulator;
  readonly flutterwave: FlutterwaveSimulator;
  /** The delivery allow-list in force, normalised; null when every URL is handed to your `fetch`. */
  readonly deliveryAllowList: readonly string[] | null;
  /** The simulated brokers, each served below `<baseUrl>/<name>` (`paypal`, `payu`, …). */
  readonly brokers: readonly string[];
  /** Every test credential and card the simulators accept. */
  credentials(): TestCredentials;
  /** Make every server-to-server call that is due now. */
  flush(): Promise<number>;
  /** Advance the clock (manual or offset) and flush. */
  advance(ms: number): Promise<number>;
  /** Deliver due calls in the background on a real clock (demo, CLI). */
  start(intervalMs?: number): void;
  stop(): void;
}

const plainText = (status: number, text: string) => withOwnHeaders(text, status, PLAIN_TEXT);

export function createSandbox(options: SandboxOptions): Sandbox {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const clock = options.clock ?? realClock();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError('createSandbox: maxBodyBytes must be a positive integer');
  }
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const policy = deliveryPolicy(options.deliveryAllowList ?? (options.fetch ? null : []));
  const queue = new DeliveryQueue(
    clock,
    async (call: OutboundCall, timeoutMs: number) => {
      const request = new Request(call.url, {
        method: call.method,
        headers: call.headers,
        body: call.method === 'POST' ? (call.body as BodyInit) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        // A redirect would lead the call outside the allow-list; brokers do not follow them either.
        redirect: 'manual',
      });
      return send(request);
    },
    policy,
  );
  const env = (broker: string): SimulatorEnv => ({ baseUrl: `${baseUrl}/${broker}`, clock, queue });
  const paypal = createPaypalSimulator(env('paypal'), options.paypal);
  const payu = createPayuSimulator(env('payu'), options.payu);
  const cmcic = createCmcicSimulator(env('cmcic'), options.cmcic);
  const stripe = createStripeSimulator(env('stripe'), options.stripe);
  const przelewy24 = createPrzelewy24Simulator(env('przelewy24'), options.przelewy24);
  const razorpay = createRazorpaySimulator(env('razorpay'), options.razorpay);
  const flutterwave = createFlutterwaveSimulator(env('flutterwave'), options.flutterwave);
  // One line per broker: a new simulator mounts here under its own path.
  const brokers = new Map<string, BrokerSimulator>([
    ['paypal', paypal],
    ['payu', payu],
    ['cmcic', cmcic],
    ['stripe', stripe],
    ['przelewy24', przelewy24],
    ['razorpay', razorpay],
    ['flutterwave', flutterwave],
  ]);
  let timer: ReturnType<typeof setInterval> | null = null;
  let control: ((request: Request, path: string) => Promise<Response>) | null = null;

  const sandbox: Sandbox = {
    baseUrl,
    clock,
    queue,
    paypal,
    payu,
    cmcic,
    stripe,
    przelewy24,
    razorpay,
    flutterwave,
    deliveryAllowList: policy.allowList,
    brokers: [...brokers.keys()],
    credentials: () =>
      testCredentials({
        ...(options.paypal?.accounts ? { paypalAccounts: options.paypal.accounts } : {}),
        ...(options.paypal?.apiCredentials ? { paypalApiCredentials: options.paypal.apiCredentials } : {}),
        payuPos: payu.pos,
        cmcicTpes: cmcic.tpes(),
        ...(stripe.config.secretKeys[0] ? { stripeSecretKey: stripe.config.secretKeys[0] } : {}),
      }),
    async handler(incoming) {
      const path = new URL(incoming.url).pathname;
      const rest = path.startsWith(basePath) ? path.slice(basePath.length) : path;
      const isControl = options.controlRoutes === true && /^\/_control(\/|$)/.test(rest);
      let request: Request;
      try {
        request = await withBoundedBody(incoming, maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        const message = `The request body is larger than ${maxBodyBytes} bytes.`;
        // Stripe's API answers in its own error shape, which its official client parses.
        if (/^\/(stripe\/)?v1\//.test(rest)) return errorResponse(tooLarge(), newRequestId());
        return isControl
          ? new Response(JSON.stringify({ error: { code: error.code, message } }), {
              status: 413,
              headers: { 'content-type': 'application/json; charset=utf-8' },
            })
          : plainText(413, message);
      }
      if (isControl) {
        control ??= controlRoutes(sandbox);
        return control(request, rest.slice('/_control'.length).replace(/\/+$/, ''));
      }
      if (rest.startsWith('/v1/')) return stripe.handle(request, rest);
      const match = /^\/([a-z0-9-]+)(\/.*)?$/.exec(rest);
      const broker = match ? brokers.get(match[1] as string) : undefined;
      if (!match || !broker) return plainText(404, 'Not found in the paybridge sandbox');
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
  return sandbox;
}
