import { type BackendContext, isPaybridgeError, PaybridgeError } from '@paybridge/core';
import type { PayuSettings } from './settings';

/** PayU's OAuth path (protocol reference §2); the API lives below `/api/v2_1`. */
export const OAUTH_PATH = '/pl/standard/user/oauth/authorize';
export const API_PATH = '/api/v2_1';

export interface PayuCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Below `/api/v2_1`, e.g. `/orders`. */
  path: string;
  body?: unknown;
  /** For the message log ("create-order", "capture", …). */
  kind: string;
  paymentId?: string | null;
}

export interface PayuResponse {
  status: number;
  /** Parsed JSON body, or null when the body was empty or not JSON. */
  json: unknown;
  correlationId: string | null;
}

/** PayU's error envelope (§3.2): only `statusCode` is guaranteed. */
export interface PayuStatus {
  statusCode?: string;
  severity?: string;
  code?: string;
  codeLiteral?: string;
  statusDesc?: string;
}

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is not used any more (already minus the refresh margin). */
  refreshAt: number;
}

export interface PayuClient {
  request(ctx: BackendContext, call: PayuCall): Promise<PayuResponse>;
  /** Drop every cached token (tests, credential rotation). */
  forgetTokens(): void;
}

const MAX_REMEMBERED_TOKENS = 8;

/**
 * OAuth client_credentials with a token cache per backend instance and endpoint, refreshed
 * `tokenRefreshMarginSeconds` early, and exactly one retry with a fresh token when the API answers
 * 401 (the token expired or was revoked before its announced lifetime).
 *
 * `secrets` is the backend's live `secrets` array: every issued token is appended to it so the
 * bridge redacts it from logs and the message log.
 */
export function createPayuClient(settings: PayuSettings, secrets: string[]): PayuClient {
  const tokens = new Map<string, CachedToken>();
  const inFlight = new Map<string, Promise<string>>();

  // The configured secrets come first; issued tokens follow, only the most recent ones kept.
  const configuredCount = secrets.length;
  const rememberSecret = (token: string) => {
    secrets.push(token);
    if (secrets.length - configuredCount > MAX_REMEMBERED_TOKENS) secrets.splice(configuredCount, 1);
  };

  async function fetchToken(ctx: BackendContext): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
    });
    const response = await send(
      ctx,
      `${ctx.endpoint}${OAUTH_PATH}`,
      {
        method: 'POST',
        // PayU answers 401 without this content type (protocol reference §2).
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
      },
      { kind: 'oauth', paymentId: null },
    );
    const json = response.json as { access_token?: unknown; expires_in?: unknown; error?: unknown } | null;
    if (response.status !== 200 || typeof json?.access_token !== 'string' || !json.access_token) {
      if (response.status >= 500 || response.status === 429) {
        throw new PaybridgeError('BROKER_UNAVAILABLE', `PayU OAuth answered HTTP ${response.status}`, {
          details: { httpStatus: response.status, correlationId: response.correlationId },
        });
      }
      throw new PaybridgeError(
        'BROKER_ERROR',
        `PayU refused the OAuth credentials (HTTP ${response.status}${
          typeof json?.error === 'string' ? `, ${json.error}` : ''
        }): check clientId and clientSecret, and that the POS is of type "REST API"`,
        { details: { httpStatus: response.status, correlationId: response.correlationId } },
      );
    }
    const token = json.access_token;
    rememberSecret(token);
    const lifetime = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 43_199;
    // A margin larger than half the lifetime would make every token stale on arrival.
    const margin = Math.min(settings.tokenRefreshMarginSeconds, lifetime / 2);
    tokens.set(ctx.endpoint, { token, refreshAt: ctx.now().getTime() + (lifetime - margin) * 1000 });
    return token;
  }

  function getToken(ctx: BackendContext): Promise<string> {
    const cached = tokens.get(ctx.endpoint);
    if (cached && ctx.now().getTime() < cached.refreshAt) return Promise.resolve(cached.token);
    // Concurrent calls share one OAuth round trip.
    let pending = inFlight.get(ctx.endpoint);
    if (!pending) {
      pending = fetchToken(ctx).finally(() => inFlight.delete(ctx.endpoint));
      inFlight.set(ctx.endpoint, pending);
    }
    return pending;
  }

  async function send(
    ctx: BackendContext,
    url: string,
    init: RequestInit,
    meta: { kind: string; paymentId?: string | null },
  ): Promise<PayuResponse> {
    let response: Response;
    let text: string;
    try {
      response = await ctx.fetch(
        url,
        // Never follow PayU's 302 on order creation: the JSON body is the answer (§3.1).
        { ...init, redirect: 'manual', signal: AbortSignal.timeout(settings.timeoutMs) },
        { kind: meta.kind, paymentId: meta.paymentId ?? null, timeoutMs: settings.timeoutMs },
      );
      // Inside the try: the timeout also covers the body, and a connection cut mid-body is an outage too.
      text = await response.text();
    } catch (error) {
      if (isPaybridgeError(error)) throw error;
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new PaybridgeError(
        'BROKER_UNAVAILABLE',
        timedOut ? `PayU did not answer within ${settings.timeoutMs} ms` : 'PayU could not be reached',
        { cause: error, details: { kind: meta.kind } },
      );
    }
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    return { status: response.status, json, correlationId: response.headers.get('correlation-id') };
  }

  return {
    async request(ctx, call) {
      const url = `${ctx.endpoint}${API_PATH}${call.path}`;
      const attempt = async (token: string) =>
        send(
          ctx,
          url,
          {
            method: call.method,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: call.body === undefined ? undefined : JSON.stringify(call.body),
          },
          call,
        );
      const token = await getToken(ctx);
      const first = await attempt(token);
      if (first.status !== 401) return first;
      // Exactly one retry with a fresh token: the cached one may have been revoked or expired early.
      if (tokens.get(ctx.endpoint)?.token === token) tokens.delete(ctx.endpoint);
      return attempt(await getToken(ctx));
    },
    forgetTokens() {
      tokens.clear();
    },
  };
}

export function payuStatus(json: unknown): PayuStatus {
  if (typeof json === 'object' && json !== null && 'status' in json) {
    const status = (json as { status: unknown }).status;
    if (typeof status === 'object' && status !== null) return status as PayuStatus;
  }
  return {};
}

/** A PayU error answer as a PaybridgeError naming what failed and PayU's own codes (§3.2). */
export function payuError(action: string, response: PayuResponse): PaybridgeError {
  const status = payuStatus(response.json);
  const details = {
    httpStatus: response.status,
    statusCode: status.statusCode ?? null,
    codeLiteral: status.codeLiteral ?? null,
    statusDesc: status.statusDesc ?? null,
    correlationId: response.correlationId,
  };
  const codes =
    [status.statusCode, status.codeLiteral].filter(Boolean).join('/') || `HTTP ${response.status}`;
  const text = `PayU could not ${action}: ${codes}${status.statusDesc ? ` (${status.statusDesc})` : ''}`;
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    return new PaybridgeError('BROKER_UNAVAILABLE', text, { details });
  }
  let hint = '';
  if (response.status === 401) hint = ' — check clientId/clientSecret';
  else if (
    status.codeLiteral === 'INVALID_AUTH_FOR_THIS_ORDER' ||
    status.statusDesc === 'INVALID_AUTH_FOR_THIS_ORDER'
  )
    hint = ' — posId must be the POS that owns the OAuth client';
  else if (status.statusCode === 'ERROR_ORDER_NOT_UNIQUE') hint = ' — this payment already has a PayU order';
  else if (status.statusCode === 'ERROR_INCONSISTENT_CURRENCIES')
    hint = ' — the POS takes another currency: set `currency` to the POS currency shown in the PayU panel';
  return new PaybridgeError('BROKER_ERROR', text + hint, { details });
}
