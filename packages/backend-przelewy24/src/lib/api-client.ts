import { type BackendContext, isPaybridgeError, PaybridgeError } from '@paybridge/core';
import { toBase64, utf8 } from '@paybridge/core/kit';
import type { Przelewy24Settings } from './settings';

/** Every REST call lives below `/api/v1` on the same host as the hosted page (reference §1). */
export const API_PATH = '/api/v1';

export interface P24Call {
  method: 'GET' | 'POST' | 'PUT';
  /** Below `/api/v1`, e.g. `/transaction/register`. */
  path: string;
  body?: unknown;
  /** For the message log ("register", "verify", "status", "refund", …). */
  kind: string;
  paymentId?: string | null;
}

export interface P24Response {
  status: number;
  /** Parsed JSON body, or null when it was empty or not JSON. */
  json: unknown;
}

/** `Authorization: Basic base64(posId:apiKey)` — the POS id and the reports key (reference §1, gotcha 6). */
export const basicAuth = (settings: Przelewy24Settings) =>
  `Basic ${toBase64(utf8(`${settings.posId}:${settings.apiKey}`))}`;

export async function callP24(
  ctx: BackendContext,
  settings: Przelewy24Settings,
  call: P24Call,
): Promise<P24Response> {
  let response: Response;
  let text: string;
  try {
    response = await ctx.fetch(
      `${ctx.endpoint}${API_PATH}${call.path}`,
      {
        method: call.method,
        headers: {
          authorization: basicAuth(settings),
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      },
      { kind: call.kind, paymentId: call.paymentId ?? null, timeoutMs: settings.timeoutMs },
    );
    text = await response.text();
  } catch (error) {
    if (isPaybridgeError(error)) throw error;
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new PaybridgeError(
      'BROKER_UNAVAILABLE',
      timedOut
        ? `Przelewy24 did not answer within ${settings.timeoutMs} ms`
        : 'Przelewy24 could not be reached',
      { cause: error, details: { kind: call.kind } },
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
  return { status: response.status, json };
}

/** P24's `error` field: a text, or per-item objects on a 409 refund answer (reference §8.1). */
export function errorText(json: unknown): string {
  if (typeof json !== 'object' || json === null || !('error' in json)) return '';
  const error = (json as { error: unknown }).error;
  if (typeof error === 'string') return error.slice(0, 200);
  if (Array.isArray(error)) {
    return error
      .map((item) =>
        typeof item === 'object' && item !== null && 'message' in item ? String(item.message) : '',
      )
      .filter(Boolean)
      .join('; ')
      .slice(0, 300);
  }
  return '';
}

/** A P24 error answer as a PaybridgeError naming the action, the HTTP status and P24's text. */
export function p24Error(action: string, response: P24Response): PaybridgeError {
  const text = errorText(response.json);
  const message = `Przelewy24 could not ${action}: HTTP ${response.status}${text ? ` (${text})` : ''}`;
  const details = { httpStatus: response.status, error: text || null };
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    return new PaybridgeError('BROKER_UNAVAILABLE', message, { details });
  }
  const hint = response.status === 401 ? ' — check posId and apiKey (the reports key, not the CRC key)' : '';
  return new PaybridgeError('BROKER_ERROR', message + hint, { details });
}
