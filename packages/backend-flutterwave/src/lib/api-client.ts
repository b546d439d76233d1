import { type BackendContext, isPaybridgeError, PaybridgeError } from '@paybridge/core';
import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import type { FlutterwaveSettings } from './settings';

/** One v3 call: path below the API base (`/payments`), what it is for the message log, for which payment. */
export interface FlutterwaveCall {
  method: 'GET' | 'POST';
  path: string;
  /** The JSON text of the body (amounts already written as exact decimals). */
  body?: string;
  kind: string;
  paymentId: string | null;
}

/** Every v3 answer shares this envelope (§1); `status` decides, the HTTP status alone does not. */
const envelopeSchema = memoized(() =>
  z.object({
    status: z.string(),
    message: z.optional(z.string()),
    data: z.optional(z.unknown()),
  }),
);

export type FlutterwaveAnswer =
  | { ok: true; httpStatus: number; data: unknown; message: string }
  | { ok: false; httpStatus: number; message: string };

/**
 * Send one call with the secret key as Bearer token through the bridge's fetch (timeouts, message log
 * with the key redacted). Network failures, 5xx and unreadable answers throw `BROKER_UNAVAILABLE`;
 * an `error` envelope (4xx) comes back as `{ ok: false }` for the caller to judge.
 */
export async function flutterwaveRequest(
  settings: FlutterwaveSettings,
  ctx: BackendContext,
  call: FlutterwaveCall,
): Promise<FlutterwaveAnswer> {
  const url = `${ctx.endpoint.replace(/\/+$/, '')}${call.path}`;
  let response: Response;
  try {
    response = await ctx.fetch(
      url,
      {
        method: call.method,
        headers: {
          authorization: `Bearer ${settings.secretKey}`,
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(call.body === undefined ? {} : { body: call.body }),
      },
      { kind: call.kind, paymentId: call.paymentId },
    );
  } catch (error) {
    if (isPaybridgeError(error)) throw error;
    throw new PaybridgeError('BROKER_UNAVAILABLE', `Flutterwave could not be reached (${call.kind})`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (response.status >= 500) {
    throw new PaybridgeError('BROKER_UNAVAILABLE', `Flutterwave answered ${response.status} (${call.kind})`, {
      details: { status: response.status },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const envelope = envelopeSchema().safeParse(json);
  if (!envelope.success) {
    throw new PaybridgeError(
      'BROKER_UNAVAILABLE',
      `Flutterwave's answer (${response.status}, ${call.kind}) is not its JSON envelope`,
      { details: { status: response.status } },
    );
  }
  const message = envelope.data.message ?? '';
  if (envelope.data.status === 'success' && response.ok) {
    return { ok: true, httpStatus: response.status, data: envelope.data.data ?? null, message };
  }
  return { ok: false, httpStatus: response.status, message };
}

/** For operations the merchant asked for: an `error` envelope is a `BROKER_ERROR` with Flutterwave's message. */
export function expectSuccess(answer: FlutterwaveAnswer, what: string): unknown {
  if (answer.ok) return answer.data;
  throw new PaybridgeError(
    'BROKER_ERROR',
    `Flutterwave refused to ${what}: ${answer.message || answer.httpStatus}`,
    {
      details: { status: answer.httpStatus, message: answer.message },
    },
  );
}
