/** JSON in and out for the control routes, with stable error codes. */

export const CONTROL_ERRORS = {
  CONTROL_NOT_FOUND: 404,
  CONTROL_METHOD_NOT_ALLOWED: 405,
  CONTROL_UNSUPPORTED_MEDIA_TYPE: 415,
  CONTROL_INVALID_JSON: 400,
  CONTROL_INVALID_INPUT: 400,
  CONTROL_CROSS_SITE: 403,
  CONTROL_UNKNOWN_TARGET: 404,
  CONTROL_REFUSED: 409,
  BODY_TOO_LARGE: 413,
} as const;

export type ControlErrorCode = keyof typeof CONTROL_ERRORS;

export class ControlError extends Error {
  readonly status: number;
  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
    this.status = CONTROL_ERRORS[code];
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function errorJson(
  code: ControlErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json({ error: { code, message } }, CONTROL_ERRORS[code], headers);
}

export type JsonInput = Record<string, unknown>;

/** A POST/PUT body: `application/json` only (a cross-site form cannot send it without a preflight). */
export async function readInput(request: Request): Promise<JsonInput> {
  const text = await request.text();
  if (text.trim() === '') return {};
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ControlError(
      'CONTROL_UNSUPPORTED_MEDIA_TYPE',
      'send the body as content-type: application/json',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlError('CONTROL_INVALID_JSON', 'the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ControlError('CONTROL_INVALID_INPUT', 'the body must be a JSON object');
  }
  return value as JsonInput;
}

const ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A required identifier field (transaction, refund, subscription…): 1–100 safe characters. */
export function idField(input: JsonInput, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new ControlError(
      'CONTROL_INVALID_INPUT',
      `${name} must be an id string (1-100 letters, digits, . _ : -)`,
    );
  }
  return value;
}

export function optionalIdField(input: JsonInput, name: string): string | undefined {
  return input[name] === undefined ? undefined : idField(input, name);
}

/** A decimal amount in major units as PayPal writes it ("12.50"). */
export function optionalDecimal(input: JsonInput, name: string): string | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,10}(\.\d{1,2})?$/.test(value)) {
    throw new ControlError('CONTROL_INVALID_INPUT', `${name} must be a decimal string such as "12.50"`);
  }
  return value;
}

export function integerField(input: JsonInput, name: string, min: number, max: number): number {
  const value = input[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ControlError('CONTROL_INVALID_INPUT', `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Runs a simulator operation; its own refusals ("No transaction …", "is Refunded") become JSON errors. */
export function simulatorOperation<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof ControlError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ControlError(
      /^((PayU|Stripe) sandbox: )?no /i.test(message) ? 'CONTROL_UNKNOWN_TARGET' : 'CONTROL_REFUSED',
      message,
    );
  }
}
