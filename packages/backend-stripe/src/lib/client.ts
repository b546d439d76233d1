import { type BackendContext, isPaybridgeError, PaybridgeError } from '@paybridge/core';
import type Stripe from 'stripe';
import type { StripeSettings } from './settings';

/** One call to Stripe: what it is (for the message log), for which payment, and its request options. */
export interface StripeCall {
  kind: string;
  paymentId: string | null;
  /** Derived from the payment, so a retry of ours never acts twice (§1.6). */
  idempotencyKey?: string;
  /** remote mode: the connected account the objects live on (`Stripe-Account`). */
  account?: string | null;
}

export interface StripeRequestOptions {
  idempotencyKey?: string;
  stripeAccount?: string;
}

/** The SDK, once loaded: a failed load is not kept, so the next call tries again. */
let sdk: Promise<typeof Stripe> | undefined;

/**
 * The `stripe` package, imported on the first call that needs a client, never at import (cold start,
 * issue 18: it costs more CPU than core with its zod/mini schemas). Webhook signatures need none of it.
 */
export function loadStripe(): Promise<typeof Stripe> {
  sdk ??= import('stripe').then(
    (module) => module.default,
    (error: unknown) => {
      sdk = undefined;
      throw new PaybridgeError(
        'INVALID_CONFIG',
        `Stripe: the stripe package (a peer dependency, stripe@23) could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
        { details: { package: 'stripe' }, cause: error },
      );
    },
  );
  return sdk;
}

/**
 * The Stripe client for one call. The merchant's own client is used as it is (the SDK is then never
 * imported); otherwise a client is made from the secret key with the fetch HTTP client, whose fetch
 * is the bridge's (timeouts, message log with the key redacted), pointed at the context's endpoint
 * (Stripe's host, or a simulator's base URL with a path). Making one costs a fraction of a
 * millisecond, and binding it to the call keeps the message log's kind and payment id right under
 * concurrency.
 */
export async function stripeClient(
  settings: StripeSettings,
  ctx: BackendContext,
  call: StripeCall,
): Promise<Stripe> {
  if (settings.client) return settings.client;
  const StripeSdk = await loadStripe();
  const base = ctx.endpoint.replace(/\/+$/, '');
  const fetchThroughBridge = (url: string | URL, init?: RequestInit) => {
    const target = new URL(String(url));
    return ctx.fetch(`${base}${target.pathname}${target.search}`, init ?? {}, {
      kind: call.kind,
      paymentId: call.paymentId,
    });
  };
  return new StripeSdk(settings.secretKey, {
    apiVersion: settings.apiVersion as Stripe.LatestApiVersion,
    httpClient: StripeSdk.createFetchHttpClient(fetchThroughBridge as typeof fetch),
    maxNetworkRetries: settings.maxNetworkRetries,
    telemetry: false,
    appInfo: { name: 'paybridge' },
  });
}

export function requestOptions(call: StripeCall): StripeRequestOptions {
  return {
    ...(call.idempotencyKey ? { idempotencyKey: call.idempotencyKey } : {}),
    ...(call.account ? { stripeAccount: call.account } : {}),
  };
}

/** Stripe's error fields worth keeping (never the request body or the key). */
interface StripeErrorLike {
  type?: string;
  code?: string;
  decline_code?: string;
  statusCode?: number;
  requestId?: string;
  message?: string;
  param?: string;
  headers?: Record<string, string | undefined>;
}

/**
 * A Stripe failure as a PaybridgeError: connection errors, 5xx, 409 and 429 are BROKER_UNAVAILABLE
 * (try again later, same idempotency key), anything else BROKER_ERROR with Stripe's code.
 */
export function toBrokerError(error: unknown, what: string): PaybridgeError {
  if (isPaybridgeError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as StripeErrorLike;
  const details: Record<string, unknown> = {
    ...(e.statusCode ? { httpStatus: e.statusCode } : {}),
    ...(e.type ? { stripeType: e.type } : {}),
    ...(e.code ? { stripeCode: e.code } : {}),
    ...(e.decline_code ? { declineCode: e.decline_code } : {}),
    ...(e.param ? { param: e.param } : {}),
    ...(e.requestId ? { requestId: e.requestId } : {}),
    ...(e.headers?.['retry-after'] ? { retryAfterSeconds: Number(e.headers['retry-after']) } : {}),
  };
  const transient =
    e.type === 'StripeConnectionError' ||
    e.type === 'StripeAPIError' ||
    e.type === 'StripeRateLimitError' ||
    e.statusCode === undefined ||
    e.statusCode === 409 ||
    e.statusCode === 429 ||
    e.statusCode >= 500;
  const reason = e.code ?? e.type ?? 'network error';
  return new PaybridgeError(
    transient ? 'BROKER_UNAVAILABLE' : 'BROKER_ERROR',
    `Stripe refused to ${what}: ${reason}${e.statusCode ? ` (HTTP ${e.statusCode})` : ''}`,
    { details, cause: error },
  );
}

/** Longest `Retry-After` a 429 is waited out inline; a longer one fails the call (try again later). */
const MAX_INLINE_RETRY_AFTER_S = 2;

/**
 * Run a Stripe call, mapping its failures. The client retries 409 and 5xx itself; a 429 carries no
 * `Stripe-Should-Retry`, so it is retried here once after its short `Retry-After` (same request,
 * same idempotency key, so it cannot act twice).
 */
export async function callStripe<T>(what: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const wait = attempt === 0 ? retryAfterSeconds(error) : null;
      if (wait === null || wait > MAX_INLINE_RETRY_AFTER_S) throw toBrokerError(error, what);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}

function retryAfterSeconds(error: unknown): number | null {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    statusCode?: number;
    headers?: Record<string, string | undefined>;
  };
  if (e.statusCode !== 429) return null;
  const value = Number(e.headers?.['retry-after'] ?? '1');
  return Number.isFinite(value) && value >= 0 ? value : null;
}
