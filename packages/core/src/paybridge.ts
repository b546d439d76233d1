import { availableBackends } from './availability';
import type { PaymentBackend, SetupInstructions } from './backend';
import type { Paybridge, PaybridgeConfig } from './config';
import { PaybridgeError } from './errors';
import { createHandler } from './http-handler';
import { atBackendBoundary } from './lib/backend-boundary';
import { currentShape } from './lib/current-shape';
import { describeError } from './lib/describe-error';
import { createEmitter } from './lib/emitter';
import { type RoutesAndOperations, routesAndOperations } from './lib/first-use';
import { createPullLimiter } from './lib/pull-limiter';
import { createRedactor } from './lib/redact';
import { getBackend, publicBaseUrl, type Runtime, resolveTestMode } from './lib/runtime';
import { proxyTrust } from './lib/trusted-proxy';
import { validateConfig } from './lib/validate-config';
import { consoleLogger, redactingLogger } from './logger';
import { memoryStore } from './memory-store';

/** How long the writer of a transition has to deliver its events before another instance may. */
const OUTBOX_LEASE_MS = 30_000;

/**
 * Create the bridge: one handler for every route, and the same operations as functions.
 *
 * ```ts
 * const bridge = createPaybridge({ baseUrl: 'https://shop.example/payments', backends: [dummy()], orders });
 * export default { fetch: (request) => bridge.handler(request) };
 * ```
 */
export function createPaybridge(config: PaybridgeConfig): Paybridge {
  validateConfig(config);
  // Read on every redaction: backends may add secrets they obtain at run time (OAuth tokens).
  const redactor = createRedactor(() => [
    ...config.backends.flatMap((b) => b.secrets),
    ...(config.secret ? [config.secret] : []),
  ]);
  const logger = redactingLogger(config.logger ?? consoleLogger('info'), redactor.text);
  // Core calls each backend through its boundary: a backend sees and writes only its own `brokerData`.
  const configured = new Map<string, PaymentBackend>(config.backends.map((b) => [b.id, b]));
  const backends = new Map<string, PaymentBackend>(config.backends.map((b) => [b.id, atBackendBoundary(b)]));
  const now = config.now ?? (() => new Date());
  const runtime: Runtime = {
    config,
    store: config.store ?? memoryStore(),
    logger,
    emitter: createEmitter(logger, config.listenerTimeoutMs),
    redactor,
    backends,
    now,
    maxBodyBytes: config.maxBodyBytes ?? 256 * 1024,
    paymentTtlSeconds: config.paymentTtlSeconds ?? 24 * 3600,
    outboundTimeoutMs: config.outboundTimeoutMs ?? 15_000,
    isTrustedProxy: proxyTrust(config.trustProxy),
    delivering: new Set(),
    pullLimiter: createPullLimiter({ intervalMs: (config.pullIntervalSeconds ?? 30) * 1000, now }),
    logBodyLimitBytes: config.logBodyLimitBytes ?? 8 * 1024,
    buttonTtlSeconds: config.buttonTtlSeconds === undefined ? 24 * 3600 : config.buttonTtlSeconds,
  };
  const handler = createHandler(runtime);
  const base = () => publicBaseUrl(runtime);
  /**
   * An operation that needs the public base URL: read now, so that a bridge without `baseUrl` called
   * outside a request throws at once, as before the operations loaded on first use; then run `call`
   * with the loaded routes and operations.
   */
  const withBaseUrl = <T>(call: (loaded: RoutesAndOperations, baseUrl: string) => Promise<T>): Promise<T> => {
    const baseUrl = base();
    return routesAndOperations().then((loaded) => call(loaded, baseUrl));
  };

  async function drainOutbox(): Promise<number> {
    let delivered = 0;
    for (let round = 0; round < 1000; round++) {
      // Recent transitions are left to the instance that committed them (it delivers right after its commit);
      // the claim keeps two draining instances from delivering the same events.
      const batch = await runtime.store.claimUnemittedTransitions(200, {
        now: runtime.now().toISOString(),
        leaseMs: OUTBOX_LEASE_MS,
      });
      if (batch.length === 0) break;
      const { deliverTransitions } = await routesAndOperations();
      await deliverTransitions(runtime, batch);
      delivered += batch.length;
    }
    return delivered;
  }

  // Events a crash left undelivered are delivered at start-up and then every `outboxPollSeconds`.
  const drainLogged = () =>
    drainOutbox().catch((error) =>
      logger.error('could not drain the event outbox', { error: describeError(error) }),
    );
  void drainLogged();
  const pollSeconds = config.outboxPollSeconds ?? 60;
  const poller = pollSeconds > 0 ? setInterval(drainLogged, pollSeconds * 1000) : null;
  (poller as { unref?: () => void } | null)?.unref?.();

  // The operations' code loads on their first call (`lib/first-use.ts`). Each method still checks at
  // once what it checked before calling it (the `baseUrl` an operation outside a request needs, a
  // button's `secret`): it throws or rejects exactly as it did.
  return {
    handler,
    store: runtime.store,
    logger,
    startPayment: (input) => withBaseUrl((m, baseUrl) => m.startPayment(runtime, input, baseUrl)),
    getPayment: async (id) => {
      const payment = await runtime.store.getPayment(id);
      return payment && currentShape(payment);
    },
    getOrder: (orderId) => routesAndOperations().then((m) => m.getOrder(runtime, orderId)),
    capture: (paymentId, amount) =>
      withBaseUrl((m, baseUrl) => m.capture(runtime, baseUrl, paymentId, amount)),
    cancel: (paymentId) => withBaseUrl((m, baseUrl) => m.cancel(runtime, baseUrl, paymentId)),
    refund: (paymentId, options) =>
      withBaseUrl((m, baseUrl) => m.refund(runtime, baseUrl, paymentId, options)),
    sync: (paymentId) => withBaseUrl((m, baseUrl) => m.sync(runtime, baseUrl, paymentId)),
    sweepExpired: () => routesAndOperations().then((m) => m.sweepExpired(runtime)),
    reconcile: (options) => routesAndOperations().then((m) => m.reconcile(runtime, options)),
    replayMessage: (messageId) => withBaseUrl((m, baseUrl) => m.replayMessage(runtime, baseUrl, messageId)),
    availableBackends: (query) =>
      availableBackends([...backends.values()], query, (b) => resolveTestMode(runtime, b)),
    setupInstructions(publicUrl?: string): SetupInstructions[] {
      const baseUrl = (publicUrl ?? base()).replace(/\/+$/, '');
      return [...backends.values()].map((backend) =>
        backend.setupInstructions({
          baseUrl,
          notifyUrl: `${baseUrl}/notify/${backend.id}`,
          returnUrl: `${baseUrl}/return/${backend.id}/{paymentId}`,
        }),
      );
    },
    signButton(button) {
      if (!config.secret)
        throw new PaybridgeError('INVALID_CONFIG', 'a `secret` is required to sign payment buttons');
      const { secret } = config;
      const options = { now: runtime.now(), ttlSeconds: runtime.buttonTtlSeconds };
      return routesAndOperations().then((m) => m.signButton(secret, button, options));
    },
    verifyButton(token) {
      if (!config.secret)
        throw new PaybridgeError('INVALID_CONFIG', 'a `secret` is required to verify payment buttons');
      const { secret } = config;
      const now = runtime.now();
      return routesAndOperations().then((m) => m.verifyButton(secret, token, now));
    },
    on: (event, listener) => runtime.emitter.on(event, listener),
    // The merchant's own backend objects (core calls them through their boundary).
    backend: (id) => configured.get(getBackend(runtime, id).id) as PaymentBackend,
    backends: () =>
      [...configured.values()].map((backend) => ({ backend, testMode: resolveTestMode(runtime, backend) })),
    baseUrl: config.baseUrl ? config.baseUrl.replace(/\/+$/, '') : null,
    drainOutbox,
    close() {
      if (poller) clearInterval(poller);
    },
  };
}
