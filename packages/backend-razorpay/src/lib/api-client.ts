import { type BackendContext, isPaybridgeError, PaybridgeError } from '@paybridge/core';
import { toBase64, utf8 } from '@paybridge/core/kit';
import type { RazorpaySettings } from './settings';

export interface RazorpayCall {
  method: 'GET' | 'POST' | 'PATCH';
  /** Below the endpoint, e.g. `/v1/payment_links`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** For the message log ("create-payment-link", "capture", …). */
  kind: string;
  paymentId?: string | null;
}

/** Razorpay's error envelope (§1): `{"error":{"code","description","reason",…}}`. */
export interface RazorpayErrorBody {
  code?: string;
  description?: string;
  reason?: string;
  field?: string;
}

/** A 4xx Razorpay answer, kept for callers that recover from a known refusal. */
export class RazorpayRefusal extends PaybridgeError {
  constructor(
    what: string,
    readonly httpStatus: number,
    readonly error: RazorpayErrorBody,
  ) {
    super(
      'BROKER_ERROR',
      `Razorpay refused to ${what} (HTTP ${httpStatus}${error.code ? `, ${error.code}` : ''}${
        error.description ? `: ${error.description}` : ''
      })`,
      { details: { httpStatus, razorpayCode: error.code, reason: error.reason, field: error.field } },
    );
  }
}

export const isRefusal = (error: unknown): error is RazorpayRefusal =>
  isPaybridgeError(error) && error.code === 'BROKER_ERROR' && 'httpStatus' in error;

/**
 * One JSON call with HTTP Basic auth (`Basic base64(key_id:key_secret)`, the scheme spelt exactly so,
 * §1). Network failures, 5xx and 429 are BROKER_UNAVAILABLE (try again); other refusals BROKER_ERROR.
 */
export async function callRazorpay(
  ctx: BackendContext,
  settings: RazorpaySettings,
  what: string,
  call: RazorpayCall,
): Promise<unknown> {
  const authorization = `Basic ${toBase64(utf8(`${settings.keyId}:${settings.keySecret}`))}`;
  let response: Response;
  try {
    response = await ctx.fetch(
      `${ctx.endpoint}${call.path}`,
      {
        method: call.method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...call.headers,
        },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      },
      { kind: call.kind, paymentId: call.paymentId ?? null, timeoutMs: settings.timeoutMs },
    );
  } catch (error) {
    if (isPaybridgeError(error)) throw error;
    throw new PaybridgeError('BROKER_UNAVAILABLE', `Razorpay could not be reached to ${what}`, {
      cause: error,
    });
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (response.status >= 200 && response.status < 300 && json !== null) return json;
  if (response.status >= 500 || response.status === 429 || (response.ok && json === null)) {
    throw new PaybridgeError('BROKER_UNAVAILABLE', `Razorpay answered HTTP ${response.status} to ${what}`, {
      details: { httpStatus: response.status },
    });
  }
  const error = (json as { error?: RazorpayErrorBody } | null)?.error ?? {};
  throw new RazorpayRefusal(what, response.status, {
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof error.description === 'string' ? { description: error.description } : {}),
    ...(typeof error.reason === 'string' ? { reason: error.reason } : {}),
    ...(typeof error.field === 'string' ? { field: error.field } : {}),
  });
}
