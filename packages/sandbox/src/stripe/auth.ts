import { StripeFailure } from './http';
import type { StripeConfig } from './model';

function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** "sk_test_****abcd": Stripe names a wrong key without revealing it. */
const masked = (key: string): string =>
  `${key.slice(0, 8)}${'*'.repeat(Math.max(0, Math.min(key.length - 12, 24)))}${key.slice(-4)}`;

const unauthenticated = (message: string): StripeFailure =>
  new StripeFailure(401, { type: 'invalid_request_error', message });

/** The secret key from `Authorization: Bearer sk_…` or HTTP Basic with the key as user name (reference §1.1). */
function presentedKey(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1] as string;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return null;
  try {
    const decoded = atob(basic[1] as string);
    return decoded.slice(0, decoded.indexOf(':') >= 0 ? decoded.indexOf(':') : decoded.length) || null;
  } catch {
    return null;
  }
}

/**
 * Authenticates the call and resolves `Stripe-Account`: null for the platform, else the connected
 * account whose objects (and idempotency keys) the call sees (reference §8.3).
 */
export function authenticate(config: StripeConfig, request: Request): string | null {
  const key = presentedKey(request);
  if (!key) {
    throw unauthenticated(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  let known = false;
  for (const candidate of config.secretKeys) known = constantTimeEqual(key, candidate) || known;
  if (!known) throw unauthenticated(`Invalid API Key provided: ${masked(key)}`);
  const account = request.headers.get('stripe-account');
  if (account === null || account === '' || account === config.platformAccount) return null;
  if (!config.connectedAccounts.includes(account)) {
    throw new StripeFailure(403, {
      type: 'invalid_request_error',
      code: 'account_invalid',
      message: `The provided key '${masked(key)}' does not have access to account '${account.slice(0, 60)}' (or that account does not exist). Application access may have been revoked.`,
    });
  }
  return account;
}
