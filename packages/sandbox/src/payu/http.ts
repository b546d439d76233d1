/** PayU answers JSON with this content type and a Correlation-Id header support asks for (reference §3.2). */
export function payuJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json;charset=UTF-8',
      'correlation-id': crypto.randomUUID(),
      ...headers,
    },
  });
}

export interface PayuStatusDetails {
  severity?: string;
  code?: string;
  codeLiteral?: string;
  statusDesc?: string;
}

/** PayU's error shape for every endpoint: `{"status":{"statusCode":…,"severity"?,"code"?,"codeLiteral"?,"statusDesc"?}}`. */
export function payuError(status: number, statusCode: string, details: PayuStatusDetails = {}): Response {
  return payuJson({ status: { statusCode, ...details } }, status);
}

export const unauthorized = (statusDesc: string): Response =>
  payuError(401, 'UNAUTHORIZED', { severity: 'ERROR', statusDesc });

export const dataNotFound = (statusDesc: string): Response =>
  payuError(404, 'DATA_NOT_FOUND', { severity: 'INFO', statusDesc });

export const valueMissing = (field: string): Response =>
  payuError(400, 'ERROR_VALUE_MISSING', {
    severity: 'ERROR',
    statusDesc: `Missing required field: ${field}`,
  });

export const valueInvalid = (statusDesc: string, codeLiteral?: string): Response =>
  payuError(400, 'ERROR_VALUE_INVALID', {
    severity: 'ERROR',
    ...(codeLiteral ? { codeLiteral } : {}),
    statusDesc,
  });

/** The body observed for an illegal capture/cancel (ingameltd/payu#1); its HTTP status is configurable. */
export const transitionImpossible = (httpStatus: number): Response =>
  payuError(httpStatus, 'ERROR_VALUE_INVALID', {
    severity: 'ERROR',
    code: '108',
    codeLiteral: 'ERROR_VALUE_INVALID',
    statusDesc: 'Order has incorrect status. Transition is impossible.',
  });

export type JsonObject = Record<string, unknown>;

/** Reads a JSON object body; anything else is PayU's 400 ERROR_SYNTAX. An empty body reads as `{}` when allowed. */
export async function readJsonObject(
  request: Request,
  allowEmpty = false,
): Promise<{ value: JsonObject } | { response: Response }> {
  const text = await request.text();
  if (allowEmpty && text.trim() === '') return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return { value: value as JsonObject };
    }
  } catch {
    // falls through to the syntax error
  }
  return {
    response: payuError(400, 'ERROR_SYNTAX', {
      severity: 'ERROR',
      statusDesc: 'Syntax error in request body',
    }),
  };
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A present, non-empty value (PayU treats "" like a missing field). */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/** Minor-unit amounts arrive as JSON strings ("21000") or integers (reference §3); null when neither. */
export function parseAmount(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return null;
}
