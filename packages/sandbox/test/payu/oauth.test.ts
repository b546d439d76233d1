import { describe, expect, it } from 'vitest';
import { BGN_POS, POS, setup } from '../../src/payu/test-harness';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function authorize(
  t: ReturnType<typeof setup>,
  fields: Record<string, string>,
  headers: Record<string, string> = FORM,
) {
  return t.call('/pl/standard/user/oauth/authorize', {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields).toString(),
  });
}

const credentials = {
  grant_type: 'client_credentials',
  client_id: POS.clientId,
  client_secret: POS.clientSecret,
};

describe('PayU sandbox OAuth', () => {
  it('issues a UUID bearer token for the public sandbox POS (client_credentials)', async () => {
    const t = setup();
    const response = await authorize(t, credentials);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await response.json()) as Record<string, unknown>;
    expect(json).toEqual({
      access_token: expect.stringMatching(UUID),
      token_type: 'bearer',
      expires_in: 43199,
      grant_type: 'client_credentials',
    });
    const orders = await t.api('/orders/UNKNOWN0000260115GUEST000P01', String(json.access_token));
    expect(orders.status).toBe(404); // authenticated: gets past the 401
  });

  it('knows the BGN public POS too', async () => {
    const t = setup();
    const response = await authorize(t, {
      ...credentials,
      client_id: BGN_POS.clientId,
      client_secret: BGN_POS.clientSecret,
    });
    expect(response.status).toBe(200);
  });

  it('answers 401 unless the body is form-encoded', async () => {
    const t = setup();
    const json = await t.call('/pl/standard/user/oauth/authorize', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    expect(json.status).toBe(401);
    const query = await t.call(`/pl/standard/user/oauth/authorize?${new URLSearchParams(credentials)}`, {
      method: 'POST',
    });
    expect(query.status).toBe(401);
  });

  it('refuses bad credentials and unknown grants in OAuth2 shape, without echoing the secret', async () => {
    const t = setup();
    const bad = await authorize(t, { ...credentials, client_secret: 'wrong' });
    expect(bad.status).toBe(401);
    const text = await bad.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'invalid_client' });
    expect(text).not.toContain('wrong');
    const unknownClient = await authorize(t, { ...credentials, client_id: '999999' });
    expect(unknownClient.status).toBe(401);
    const grant = await authorize(t, { ...credentials, grant_type: 'password' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const missing = await authorize(t, { client_id: POS.clientId, client_secret: POS.clientSecret });
    expect(missing.status).toBe(400);
  });

  it('accepts trusted_merchant with ext_customer_id or extCustomerId, and needs both email and id', async () => {
    const t = setup();
    const base = { ...credentials, grant_type: 'trusted_merchant', email: 'a@b.test' };
    expect((await authorize(t, { ...base, ext_customer_id: 'c1' })).status).toBe(200);
    expect((await authorize(t, { ...base, extCustomerId: 'c1' })).status).toBe(200);
    expect((await authorize(t, base)).status).toBe(400);
  });

  it('expires tokens on the sandbox clock after expires_in seconds', async () => {
    const t = setup();
    const bearer = await t.token();
    const probe = () => t.api('/orders/UNKNOWN0000260115GUEST000P01', bearer);
    t.sandbox.clock.advance(43198 * 1000);
    expect((await probe()).status).toBe(404);
    t.sandbox.clock.advance(1000);
    const expired = await probe();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      status: { statusCode: 'UNAUTHORIZED', severity: 'ERROR', statusDesc: 'Invalid or expired token' },
    });
  });

  it('honours tokenTtlSeconds', async () => {
    const t = setup({ tokenTtlSeconds: 60 });
    const response = await authorize(t, credentials);
    expect(((await response.json()) as { expires_in: number }).expires_in).toBe(60);
  });

  it('expireTokens() invalidates every issued token; a fresh one works', async () => {
    const t = setup();
    const first = await t.token();
    t.sandbox.payu.expireTokens();
    expect((await t.createOrder(first)).response.status).toBe(401);
    const second = await t.token();
    expect((await t.createOrder(second)).response.status).toBe(302);
  });

  it('refuses missing bearer, unknown tokens and legacy Basic auth with 401 UNAUTHORIZED', async () => {
    const t = setup();
    const none = await t.call('/api/v2_1/orders', { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      status: {
        statusCode: 'UNAUTHORIZED',
        severity: 'ERROR',
        statusDesc: 'Full authentication is required to access this resource',
      },
    });
    expect((await t.createOrder(crypto.randomUUID())).response.status).toBe(401);
    const basic = await t.call('/api/v2_1/orders', {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${POS.posId}:${POS.secondKey}`)}` },
      body: '{}',
    });
    expect(basic.status).toBe(401);
    expect(await basic.text()).toContain('Basic authentication is not supported');
  });
});
