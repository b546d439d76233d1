/** Stripe's error `type`s (reference §1.5). */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  payment_intent?: unknown;
  charge?: string;
  doc_url?: string;
}

/**
 * An API call that fails with Stripe's error shape `{"error":{type,code,message,param,…}}`.
 * `replayable` says whether an Idempotency-Key stores it: Stripe stores the outcome of a request that
 * started executing (a refused state change), not a parameter rejected before execution (reference §1.6).
 */
export class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly replayable = false,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'StripeFailure';
  }

  static invalid(message: string, param?: string, code?: string): StripeFailure {
    return new StripeFailure(400, {
      type: 'invalid_request_error',
      message,
      ...(code ? { code } : {}),
      ...(param ? { param } : {}),
    });
  }

  static missing(kind: string, id: string, param = 'id'): StripeFailure {
    return new StripeFailure(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${kind}: '${id.slice(0, 100)}'`,
      param,
      doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
    });
  }

  /** A state change the object's status forbids (stored for idempotent replay: execution started). */
  static state(
    message: string,
    code: string | undefined,
    extra: Partial<StripeErrorBody> = {},
  ): StripeFailure {
    return new StripeFailure(
      400,
      { type: 'invalid_request_error', ...(code ? { code } : {}), message, ...extra },
      true,
    );
  }
}
/** A fresh `req_…` id per answer (Stripe's Request-Id header). */
export const newRequestId = (): string => `req_${randomToken(14)}`;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Every answer gets its own headers object (never a shared mutable one). */
export function stripeJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-cache, no-store',
      'request-id': headers['request-id'] ?? newRequestId(),
      ...headers,
    },
  });
}

export function errorResponse(failure: StripeFailure, requestId: string): Response {
  return stripeJson({ error: failure.body }, failure.status, { ...failure.headers, 'request-id': requestId });
}

/** The API's body limit: a form body larger than this is refused before it is parsed. */
export const API_BODY_LIMIT = 256 * 1024;
/** Hosted-page forms are tiny. */
export const PAGE_BODY_LIMIT = 16 * 1024;

/** Reads a body up to `limit` bytes; a longer one (declared or streamed) is refused with 413. */
export async function readBody(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder('utf-8').decode(bytes);
}

export const tooLarge = (): StripeFailure =>
  new StripeFailure(413, { type: 'invalid_request_error', message: 'Request body is too large.' });
