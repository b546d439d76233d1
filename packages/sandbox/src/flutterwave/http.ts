/** The v3 envelope (reference §1): `{"status":"success"|"error","message":…,"data":…}`. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

export const success = (message: string, data: unknown, status = 200) =>
  json(status, { status: 'success', message, data });

export const errorJson = (status: number, message: string) =>
  json(status, { status: 'error', message, data: null });

/** `Authorization: Bearer <secret key>` on every v3 call (reference §1); 401 otherwise. */
export function bearerRefusal(request: Request, secretKeys: readonly string[]): Response | null {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match) return errorJson(401, 'Authorization header is missing');
  const given = match[1] as string;
  let found = false;
  for (const key of secretKeys) if (constantTimeEqual(given, key)) found = true;
  return found ? null : errorJson(401, 'Invalid authorization key');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] as number) ^ (y[i] as number);
  return diff === 0;
}

/** The JSON object of a request body, or null (not JSON, not an object). */
export async function readObject(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const value = JSON.parse(await request.text()) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
