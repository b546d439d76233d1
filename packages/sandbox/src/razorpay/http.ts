import type { RazorpayAccount } from './model';

/** Razorpay answers JSON; errors as `{"error":{code,description,source,step,reason,metadata,field}}` (§1). */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

export function razorpayError(
  status: number,
  description: string,
  options: { code?: string; field?: string; reason?: string } = {},
): Response {
  return json(
    {
      error: {
        code: options.code ?? (status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST_ERROR'),
        description,
        source: 'NA',
        step: 'NA',
        reason: options.reason ?? 'NA',
        metadata: {},
        ...(options.field ? { field: options.field } : {}),
      },
    },
    status,
  );
}

export const notFound = (what: string) =>
  razorpayError(400, `The id provided does not exist`, { reason: what });

/**
 * HTTP Basic with exactly the scheme `Basic` (§1: not `BASIC`, `basic` or quoted) and a known key pair.
 * Returns the account, or the 401 Razorpay answers.
 */
export function authenticate(
  request: Request,
  accounts: readonly RazorpayAccount[],
): RazorpayAccount | Response {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (!match) return razorpayError(401, 'Authentication failed');
  let decoded: string;
  try {
    decoded = atob(match[1] as string);
  } catch {
    return razorpayError(401, 'Authentication failed');
  }
  const colon = decoded.indexOf(':');
  const keyId = decoded.slice(0, colon);
  const keySecret = decoded.slice(colon + 1);
  const account = accounts.find((a) => a.keyId === keyId);
  if (colon < 0 || !account || !constantTimeEqual(account.keySecret, keySecret)) {
    return razorpayError(401, 'Authentication failed');
  }
  return account;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] as number) ^ (y[i] as number);
  return diff === 0;
}

/** A JSON object body, or the 400 Razorpay answers. */
export async function readJson(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await request.text();
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return razorpayError(400, 'The request body is not valid JSON');
}
