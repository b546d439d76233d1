import { payuJson, unauthorized } from './http';
import type { PayuPos, PayuState } from './model';
import { constantTimeEqual } from './signature';

/** OAuth2-style errors of the authorize endpoint (reference §2; exact `error` values UNCONFIRMED). */
function oauthError(status: number, error: string, description: string): Response {
  return payuJson({ error, error_description: description }, status);
}

/**
 * `POST /pl/standard/user/oauth/authorize`: client_credentials or trusted_merchant, form-encoded only
 * (PayU answers 401 without that content type, reference §2). Tokens are UUIDs that expire on the sandbox clock.
 */
export async function authorize(state: PayuState, request: Request): Promise<Response> {
  if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'Use POST');
  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(401, 'unauthorized', 'Full authentication is required to access this resource');
  }
  const form = new URLSearchParams(await request.text());
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'Missing grant type');
  if (grantType !== 'client_credentials' && grantType !== 'trusted_merchant') {
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
  }
  const pos = findClient(state.config.pos, form.get('client_id') ?? '', form.get('client_secret') ?? '');
  if (!pos) return oauthError(401, 'invalid_client', 'Bad client credentials');
  if (grantType === 'trusted_merchant') {
    // The docs' curl spells the customer id extCustomerId, the API reference ext_customer_id: accept both.
    const customer = form.get('ext_customer_id') ?? form.get('extCustomerId');
    if (!form.get('email') || !customer) {
      return oauthError(400, 'invalid_request', 'trusted_merchant needs email and ext_customer_id');
    }
  }
  const token = crypto.randomUUID();
  const ttl = state.config.tokenTtlSeconds;
  state.tokens.set(token, {
    posId: pos.posId,
    grantType,
    expiresAt: state.env.clock.now() + ttl * 1000,
  });
  return payuJson({ access_token: token, token_type: 'bearer', expires_in: ttl, grant_type: grantType });
}

function findClient(pos: readonly PayuPos[], clientId: string, clientSecret: string): PayuPos | undefined {
  const candidate = pos.find((p) => p.clientId === clientId);
  // Compare the secret even for unknown clients so timing does not reveal which client ids exist.
  const secretOk = constantTimeEqual(clientSecret, candidate?.clientSecret ?? '\u0000no-client');
  return candidate && secretOk ? candidate : undefined;
}

/** The POS behind `Authorization: Bearer <token>`, or PayU's 401. */
export function authenticate(state: PayuState, request: Request): { pos: PayuPos } | { response: Response } {
  const header = request.headers.get('authorization') ?? '';
  const [scheme, credentials] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'basic') {
    // Legacy pos_id:second_key auth; most POSes refuse it (SyliusPayUPlugin #13).
    return { response: unauthorized('Basic authentication is not supported.') };
  }
  if (scheme?.toLowerCase() !== 'bearer' || !credentials) {
    return { response: unauthorized('Full authentication is required to access this resource') };
  }
  const token = state.tokens.get(credentials);
  if (!token || token.expiresAt <= state.env.clock.now()) {
    return { response: unauthorized('Invalid or expired token') };
  }
  const pos = state.config.pos.find((p) => p.posId === token.posId);
  return pos ? { pos } : { response: unauthorized('Invalid or expired token') };
}

/** Invalidates every token issued so far (the "token expired mid-flow" fault). */
export function expireTokens(state: PayuState): void {
  state.tokens.clear();
}
