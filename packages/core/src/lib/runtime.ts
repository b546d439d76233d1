import type { PaymentBackend } from '../backend';
import type { PaybridgeConfig } from '../config';
import { PaybridgeError } from '../errors';
import type { Logger } from '../logger';
import type { PaymentStore } from '../store';
import type { Emitter } from './emitter';
import type { PullLimiter } from './pull-limiter';
import type { createRedactor } from './redact';

/** Everything the bridge's operations share; built once by `createPaybridge`. */
export interface Runtime {
  config: PaybridgeConfig;
  store: PaymentStore;
  logger: Logger;
  emitter: Emitter;
  redactor: ReturnType<typeof createRedactor>;
  backends: ReadonlyMap<string, PaymentBackend>;
  now(): Date;
  maxBodyBytes: number;
  paymentTtlSeconds: number;
  outboundTimeoutMs: number;
  isTrustedProxy(ip: string): boolean;
  /** Transitions whose events this instance is delivering right now (its own outbox drain skips them). */
  delivering: Set<string>;
  /** Broker pulls that unauthenticated requests set off: one per payment per interval. */
  pullLimiter: PullLimiter;
  /** Bytes of an unverified body kept in the message log. */
  logBodyLimitBytes: number;
  /** Lifetime of a button that sets no `expiresAt` (null: never expires). */
  buttonTtlSeconds: number | null;
}

export function getBackend(runtime: Runtime, id: string): PaymentBackend {
  const backend = runtime.backends.get(id);
  if (!backend)
    throw new PaybridgeError('UNKNOWN_BACKEND', `no backend "${id}"`, { details: { backend: id } });
  return backend;
}

export function resolveTestMode(runtime: Runtime, backend: PaymentBackend): boolean {
  return backend.testMode ?? runtime.config.testMode ?? false;
}

export function publicBaseUrl(runtime: Runtime): string {
  if (!runtime.config.baseUrl) {
    throw new PaybridgeError('INVALID_CONFIG', 'baseUrl is required to call this outside a request');
  }
  return runtime.config.baseUrl.replace(/\/+$/, '');
}
