import { availableBackends } from './availability';
import type { PaymentBackend, SetupInstructions } from './backend';
import { PAYBRIDGE_CONFIG_KEYS, type Paybridge, type PaybridgeConfig } from './config';
import { PaybridgeError } from './errors';
import { createHandler } from './http-handler';
import { atBackendBoundary } from './lib/backend-boundary';
import { signButton, verifyButton } from './lib/button-token';
import { currentShape } from './lib/current-shape';
import { deliverTransitions } from './lib/delivery';
import { describeError } from './lib/describe-error';
import { createEmitter } from './lib/emitter';
import { isBasePath } from './lib/mount-path';
import { createPullLimiter } from './lib/pull-limiter';
import { createRedactor } from './lib/redact';
import { getBackend, publicBaseUrl, type Runtime, resolveTestMode } from './lib/runtime';
import { isIpRange, proxyTrust } from './lib/trusted-proxy';
import { consoleLogger, redactingLogger } from './logger';
import { memoryStore } from './memory-store';
import { cancel, capture, refund, sweepExpired, sync } from './operations';
import { getOrder } from './order-view';
import { reconcile } from './reconcile';
import { replayMessage } from './replay';
import { startPayment } from './start-payment';

/** How long the writer of a transition has to deliver its events before another instance may. */
const OUTBOX_LEASE_MS = 30_000;

function validateConfig(config: PaybridgeConfig): void {
  const problems: string[] = [];
  for (const key of Object.keys(config ?? {})) {
    if (Object.hasOwn(PAYBRIDGE_CONFIG_KEYS, key)) continue;
    const meant = Object.keys(PAYBRIDGE_CONFIG_KEYS).find(
      (known) => known.toLowerCase() === key.toLowerCase(),
    );
    problems.push(`${key}: unknown setting${meant ? ` (did you mean \`${meant}\`?)` : ''}`);
  }
  // Without a resolver, the only way to start a payment is a signed button (which needs `secret`).
  if (typeof config.orders?.resolve !== 'function' && config.secret === undefined)
    problems.push(
      'orders.resolve: required to start payments by order id (or set `secret` to start them from signed buttons only)',
    );
  if (!Array.isArray(config.backends) || config.backends.length === 0)
    problems.push('backends: at least one backend is required');
  const seen = new Set<string>();
  for (const backend of config.backends ?? []) {
    if (!backend || typeof backend.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(backend.id)) {
      problems.push(
        `backends: invalid backend id ${JSON.stringify(backend?.id)} (lower-case letters, digits, dashes)`,
      );
      continue;
    }
    if (seen.has(backend.id)) problems.push(`backends: "${backend.id}" is configured twice`);
    seen.add(backend.id);
  }
  if (config.baseUrl !== undefined) {
    try {
      const url = new URL(config.baseUrl);
      if (!/^https?:$/.test(url.protocol)) problems.push('baseUrl: must be http(s)');
    } catch {
      problems.push('baseUrl: must be an absolute URL');
    }
  }
  if (config.basePath !== undefined && !isBasePath(config.basePath))
    problems.push('basePath: must be a path starting with "/" (no query or fragment), or "" for the root');
  if (Array.isArray(config.trustProxy)) {
    for (const range of config.trustProxy) {
      if (typeof range !== 'string' || !isIpRange(range))
        problems.push(`trustProxy: ${JSON.stringify(range)} is not an IP address or CIDR range`);
    }
  }
  if (config.secret !== undefined && config.secret.length < 32)
    problems.push('secret: must be at least 32 characters');
  for (const [key, value] of [
    ['maxBodyBytes', config.maxBodyBytes],
    ['paymentTtlSeconds', config.paymentTtlSeconds],
    ['outboundTimeoutMs', config.outboundTimeoutMs],
    ['listenerTimeoutMs', config.listenerTimeoutMs],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0))
      problems.push(`${key}: must be a positive integer`);
  }
  if (config.buttonTtlSeconds !== undefined && config.buttonTtlSeconds !== null) {
    if (!(Number.isSafeInteger(config.buttonTtlSeconds) && config.buttonTtlSeconds > 0))
      problems.push('buttonTtlSeconds: must be a positive integer, or null for buttons that never expire');
  }
  if (config.pullIntervalSeconds !== undefined) {
    if (!(Number.isSafeInteger(config.pullIntervalSeconds) && config.pullIntervalSeconds >= 0))
      problems.push('pullIntervalSeconds: must be an integer ≥ 0 (0 = no limit)');
  }
  if (config.logBodyLimitBytes !== undefined) {
    if (!(Number.isSafeInteger(config.logBodyLimitBytes) && config.logBodyLimitBytes >= 256))
      problems.push('logBodyLimitBytes: must be an integer ≥ 256');
  }
  if (problems.length) {
    throw new PaybridgeError('INVALID_CONFIG', `paybridge: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
}

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

  return {
    handler,
    store: runtime.store,
    logger,
    startPayment: (input) => startPayment(runtime, input, base()),
    getPayment: async (id) => {
      const payment = await runtime.store.getPayment(id);
      return payment && currentShape(payment);
    },
    getOrder: (orderId) => getOrder(runtime, orderId),
    capture: (paymentId, amount) => capture(runtime, base(), paymentId, amount),
    cancel: (paymentId) => cancel(runtime, base(), paymentId),
    refund: (paymentId, options) => refund(runtime, base(), paymentId, options),
    sync: (paymentId) => sync(runtime, base(), paymentId),
    sweepExpired: () => sweepExpired(runtime),
    reconcile: (options) => reconcile(runtime, options),
    replayMessage: (messageId) => replayMessage(runtime, base(), messageId),
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
      return signButton(config.secret, button, { now: runtime.now(), ttlSeconds: runtime.buttonTtlSeconds });
    },
    verifyButton(token) {
      if (!config.secret)
        throw new PaybridgeError('INVALID_CONFIG', 'a `secret` is required to verify payment buttons');
      return verifyButton(config.secret, token, runtime.now());
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
