/**
 * Every error paybridge raises has a stable `code` (data, not a class hierarchy) and knows its HTTP
 * form. Recognise it with `isPaybridgeError`, not only `instanceof`: two copies of the package may be
 * installed side by side.
 */
export const ErrorCodes = {
  INVALID_CONFIG: { status: 500, message: 'Invalid configuration' },
  BAD_REQUEST: { status: 400, message: 'Malformed request' },
  NOT_FOUND: { status: 404, message: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type' },
  UNKNOWN_BACKEND: { status: 404, message: 'Unknown payment backend' },
  UNKNOWN_PAYMENT: { status: 404, message: 'Unknown payment' },
  UNKNOWN_ORDER: { status: 404, message: 'Unknown order' },
  UNKNOWN_MESSAGE: { status: 404, message: 'Unknown message' },
  INVALID_BUTTON: { status: 400, message: 'Invalid or tampered payment button' },
  INVALID_AMOUNT: { status: 400, message: 'Invalid amount' },
  UNSUPPORTED_CURRENCY: { status: 422, message: 'Currency not supported' },
  BACKEND_UNAVAILABLE: { status: 422, message: 'Backend not available for this purchase' },
  CAPABILITY_NOT_SUPPORTED: { status: 422, message: 'The backend does not support this operation' },
  ORDER_ALREADY_PAID: { status: 409, message: 'Order is already paid' },
  INVALID_STATE: { status: 409, message: 'Operation not allowed in the payment’s current status' },
  CONFLICT: { status: 409, message: 'Concurrent modification' },
  INVALID_SIGNATURE: { status: 400, message: 'Signature verification failed' },
  VERIFICATION_FAILED: { status: 400, message: 'The broker did not confirm this message' },
  MALFORMED_NOTIFICATION: { status: 400, message: 'Malformed notification' },
  ENVIRONMENT_MISMATCH: { status: 400, message: 'Message from the wrong environment (test vs live)' },
  BROKER_ERROR: { status: 502, message: 'The payment broker answered with an error' },
  BROKER_UNAVAILABLE: { status: 503, message: 'The payment broker could not be reached' },
  STORE_UNAVAILABLE: { status: 503, message: 'The payment store failed' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ErrorCodes;

export interface PaybridgeErrorOptions {
  cause?: unknown;
  /** Machine-readable details safe to show to the caller (never secrets). */
  details?: Record<string, unknown>;
  /** Override the HTTP status of the code. */
  status?: number;
}

export class PaybridgeError extends Error {
  override readonly name = 'PaybridgeError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: PaybridgeErrorOptions = {}) {
    super(
      message ?? ErrorCodes[code].message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.status = options.status ?? ErrorCodes[code].status;
    this.details = options.details;
  }

  /** The JSON body every error response carries. */
  toJSON(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }

  toResponse(): Response {
    return Response.json(this.toJSON(), { status: this.status });
  }
}

export function isPaybridgeError(value: unknown): value is PaybridgeError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'PaybridgeError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in ErrorCodes
  );
}

/** Any thrown value as a PaybridgeError (unknown errors become INTERNAL without leaking their text). */
export function toPaybridgeError(value: unknown): PaybridgeError {
  if (isPaybridgeError(value)) return value;
  return new PaybridgeError('INTERNAL', undefined, { cause: value });
}
