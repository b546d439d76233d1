import type { AvailableBackends, FetchLike, PublicPaymentStatus, StartResponse } from '../types';

/**
 * An error answered by the bridge (`{ error: { code, message } }`) or met on the way to it.
 * Recognise it by `name`, not only `instanceof` (two copies of the package may be bundled).
 */
export class PaymentButtonError extends Error {
  override readonly name = 'PaymentButtonError';
  /** The bridge's error code (`INVALID_BUTTON`, …), or `NETWORK` / `BAD_RESPONSE` from the client. */
  readonly code: string;
  /** HTTP status, 0 when the server was not reached. */
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** Any failure as a PaymentButtonError (an unexpected one as `INTERNAL`, status 0). */
export function toPaymentButtonError(error: unknown): PaymentButtonError {
  return error instanceof Error && error.name === 'PaymentButtonError'
    ? (error as PaymentButtonError)
    : new PaymentButtonError('INTERNAL', error instanceof Error ? error.message : String(error), 0);
}

/** Where the bridge is mounted and the `fetch` to reach it with (the global one by default): the components' props. */
export interface BridgeAccess {
  baseUrl: string;
  fetch?: FetchLike | undefined;
}

async function request<T>(bridge: BridgeAccess, path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await (bridge.fetch ?? globalThis.fetch)(bridge.baseUrl.replace(/\/+$/, '') + path, init);
  } catch (cause) {
    throw new PaymentButtonError('NETWORK', cause instanceof Error ? cause.message : String(cause), 0);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: a proxy's error page, reported below as BAD_RESPONSE.
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      throw new PaymentButtonError(error.code, error.message, response.status);
    }
    throw new PaymentButtonError('BAD_RESPONSE', `HTTP ${response.status}`, response.status);
  }
  if (body === null || typeof body !== 'object') {
    throw new PaymentButtonError('BAD_RESPONSE', 'The server did not answer JSON', response.status);
  }
  return body as T;
}

export interface MethodsQuery {
  currency: string;
  amount: number;
  recurring: boolean;
}

export function fetchMethods(bridge: BridgeAccess, query: MethodsQuery) {
  const params = new URLSearchParams({
    currency: query.currency,
    amount: String(query.amount),
    recurring: String(query.recurring),
  });
  return request<AvailableBackends>(bridge, `/methods?${params}`, {
    headers: { accept: 'application/json' },
  });
}

export interface StartQuery {
  backend: string;
  button: string;
  option: number | string;
}

export async function startPayment(bridge: BridgeAccess, body: StartQuery) {
  const result = await request<StartResponse>(bridge, '/start', {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!result.redirect || typeof result.redirect.url !== 'string') {
    throw new PaymentButtonError('BAD_RESPONSE', 'The server answered no redirect', 200);
  }
  return result;
}

export function fetchStatus(bridge: BridgeAccess, paymentId: string) {
  return request<PublicPaymentStatus>(bridge, `/status/${encodeURIComponent(paymentId)}`, {
    headers: { accept: 'application/json' },
    cache: 'no-store',
  });
}
