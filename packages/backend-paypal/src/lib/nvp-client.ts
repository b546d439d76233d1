import { type BackendContext, PaybridgeError } from '@paybridge/core';
import type { PaypalApiSettings, PaypalSettings } from './settings';

/** PayPal's NVP hosts per credential kind (protocols/paypal-api.md §2). */
export const NVP_ENDPOINTS = {
  signature: { live: 'https://api-3t.paypal.com/nvp', test: 'https://api-3t.sandbox.paypal.com/nvp' },
  certificate: { live: 'https://api.paypal.com/nvp', test: 'https://api.sandbox.paypal.com/nvp' },
} as const;

export interface NvpError {
  code: string;
  shortMessage: string;
  longMessage: string;
  severity: string;
}

export interface NvpAnswer {
  ack: string;
  correlationId: string | null;
  /** Every field of the answer, decoded (first value of each name). */
  fields: ReadonlyMap<string, string>;
  errors: NvpError[];
  get(name: string): string | undefined;
}

/** Failures PayPal may not have acted on: the outcome is unknown, try again later (§5 10001). */
const TRANSIENT_CODES = new Set(['10001']);

/** Where the NVP calls go: the explicit URL, else under the sandbox `endpoint`, else PayPal's host. */
export function nvpUrl(api: PaypalApiSettings, testMode: boolean, endpoint: string | undefined): string {
  if (api.endpoint) return api.endpoint;
  const kind = api.certificate ? 'certificate' : 'signature';
  if (endpoint) return `${endpoint.replace(/\/+$/, '')}${api.certificate ? '/cert/nvp' : '/nvp'}`;
  return testMode ? NVP_ENDPOINTS[kind].test : NVP_ENDPOINTS[kind].live;
}

/**
 * The credentials and NVP URL of an API operation (refund, status pull, cancel); without credentials
 * the operation is not available and the merchant uses PayPal's back office instead.
 */
export function nvpAccess(
  settings: PaypalSettings,
  ctx: BackendContext,
): { api: PaypalApiSettings; url: string } {
  const api = settings.api;
  if (!api) {
    throw new PaybridgeError(
      'CAPABILITY_NOT_SUPPORTED',
      `${settings.displayName} has no API credentials (settings.api): refund and cancel in PayPal's back office`,
    );
  }
  return { api, url: nvpUrl(api, ctx.testMode, settings.endpoint ? ctx.endpoint : undefined) };
}

/** Decode an NVP answer body (form-urlencoded, §2). */
export function parseNvp(body: string): NvpAnswer {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) if (!fields.has(name)) fields.set(name, value);
  const errors: NvpError[] = [];
  for (let i = 0; fields.has(`L_ERRORCODE${i}`); i++) {
    errors.push({
      code: fields.get(`L_ERRORCODE${i}`) ?? '',
      shortMessage: fields.get(`L_SHORTMESSAGE${i}`) ?? '',
      longMessage: fields.get(`L_LONGMESSAGE${i}`) ?? '',
      severity: fields.get(`L_SEVERITYCODE${i}`) ?? '',
    });
  }
  return {
    ack: fields.get('ACK') ?? '',
    correlationId: fields.get('CORRELATIONID') ?? null,
    fields,
    errors,
    get(name) {
      const value = fields.get(name);
      return value === undefined || value === '' ? undefined : value;
    },
  };
}

export const isSuccess = (answer: NvpAnswer) =>
  answer.ack === 'Success' || answer.ack === 'SuccessWithWarning';

/** A refusal named by its codes, with the correlation id PayPal support asks for (never a secret). */
export function nvpFailure(what: string, answer: NvpAnswer): PaybridgeError {
  const first = answer.errors[0];
  const text = first
    ? `${first.code} ${first.longMessage || first.shortMessage}`
    : `ACK ${answer.ack || '(none)'}`;
  const details = {
    ack: answer.ack,
    errorCodes: answer.errors.map((e) => e.code),
    correlationId: answer.correlationId,
  };
  const transient = answer.errors.length > 0 && answer.errors.every((e) => TRANSIENT_CODES.has(e.code));
  return new PaybridgeError(
    transient ? 'BROKER_UNAVAILABLE' : 'BROKER_ERROR',
    `PayPal could not ${what}: ${text}`,
    { details },
  );
}

export interface NvpCall {
  method: string;
  fields: Record<string, string>;
  /** Message-log kind ("nvp-refund", …). */
  kind: string;
  paymentId: string | null;
  /** What the call does, for error messages ("refund the payment"). */
  what: string;
}

/**
 * One NVP call through the bridge's outbound fetch (timeout, message log with PWD and SIGNATURE
 * redacted: both are the backend's `secrets`). Returns the decoded answer whatever its ACK; an
 * answer that is not NVP at all (HTTP error, HTML) is BROKER_UNAVAILABLE: PayPal may try again.
 */
export async function callNvp(
  api: PaypalApiSettings,
  ctx: BackendContext,
  url: string,
  call: NvpCall,
): Promise<NvpAnswer> {
  const body = new URLSearchParams({
    USER: api.username,
    PWD: api.password,
    ...(api.signature ? { SIGNATURE: api.signature } : {}),
    VERSION: api.version,
    ...(api.subject ? { SUBJECT: api.subject } : {}),
    METHOD: call.method,
    ...call.fields,
  });
  const response = await ctx.fetch(
    url,
    {
      ...(api.fetchOptions ?? {}),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' },
      body: body.toString(),
    },
    { kind: call.kind, paymentId: call.paymentId },
  );
  const text = await response.text();
  const answer = parseNvp(text);
  if (response.status !== 200 || !answer.ack) {
    throw new PaybridgeError(
      'BROKER_UNAVAILABLE',
      `PayPal could not ${call.what}: HTTP ${response.status} without an NVP answer`,
      { details: { status: response.status } },
    );
  }
  if (!isSuccess(answer))
    ctx.logger.warn('paypal: NVP call refused', {
      method: call.method,
      ...nvpFailure(call.what, answer).details,
    });
  return answer;
}
