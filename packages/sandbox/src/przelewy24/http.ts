import type { P24Merchant, P24State } from './model';
import { constantTimeEqual } from './sign';

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** P24's error envelope (reference §3.1): `{"error": "...", "code": N}`. */
export const p24Error = (status: number, error: unknown) => json(status, { error, code: status });

/** `Authorization: Basic base64(posId:apiKey)` (reference §1); 401 otherwise. */
export function authenticate(state: P24State, request: Request): P24Merchant | Response {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  const refused = p24Error(401, 'Incorrect authentication');
  if (!match) return refused;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(match[1] as string), (c) => c.charCodeAt(0)),
    );
  } catch {
    return refused;
  }
  const at = decoded.indexOf(':');
  if (at < 0) return refused;
  const user = decoded.slice(0, at);
  const password = decoded.slice(at + 1);
  const merchant = state.config.merchants.find((m) => String(m.posId) === user);
  if (!merchant || !constantTimeEqual(password, merchant.apiKey)) return refused;
  return merchant;
}

/** A JSON object body, or the 400 P24 answers for anything else. */
export async function readJson(request: Request): Promise<Record<string, unknown> | Response> {
  const invalid = p24Error(400, 'Invalid input parameters');
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) return invalid;
  try {
    const body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await request.arrayBuffer()));
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? body : invalid;
  } catch {
    return invalid;
  }
}

export const isInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);
export const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

/** An absolute http(s) URL of at most 250 characters (urlReturn, urlStatus). */
export const isUrl = (value: unknown): value is string => {
  if (!isText(value, 250)) return false;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};
