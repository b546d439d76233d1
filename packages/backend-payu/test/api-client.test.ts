import { isPaybridgeError } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { createPayuClient } from '../src/lib/api-client';
import { payuSettingsSchema } from '../src/lib/settings';
import { ENDPOINT, fakePayu, json, SETTINGS } from './support/fixtures';

const settings = (extra: Record<string, unknown> = {}) =>
  payuSettingsSchema().parse({ ...SETTINGS, ...extra });
const getOrder = { method: 'GET', path: '/orders/X', kind: 'retrieve-order' } as const;
const ok = () => json(200, { status: { statusCode: 'SUCCESS' } });

async function caught(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('PayU OAuth client', () => {
  it('gets a client_credentials token form-encoded, then reuses it', async () => {
    const payu = fakePayu({ 'GET /api/v2_1/orders/X': ok });
    const secrets = ['configured'];
    const client = createPayuClient(settings(), secrets);
    await client.request(payu.ctx, getOrder);
    await client.request(payu.ctx, getOrder);

    const [oauth, ...rest] = payu.calls;
    expect(oauth?.url).toBe(`${ENDPOINT}/pl/standard/user/oauth/authorize`);
    expect(oauth?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(oauth?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: '300746',
      client_secret: SETTINGS.clientSecret,
    });
    expect(rest).toHaveLength(2);
    for (const call of rest) {
      expect(call.url).toBe(`${ENDPOINT}/api/v2_1/orders/X`);
      expect(call.headers.get('authorization')).toBe('Bearer token-1');
      expect(call.redirect).toBe('manual');
      expect(call.meta).toMatchObject({ kind: 'retrieve-order', timeoutMs: 15_000 });
    }
    // The token is redacted like the configured secrets.
    expect(secrets).toEqual(['configured', 'token-1']);
  });

  it('refreshes the token before it expires, by the configured margin', async () => {
    const payu = fakePayu({ 'GET /api/v2_1/orders/X': ok });
    const client = createPayuClient(settings({ tokenRefreshMarginSeconds: 60 }), []);
    await client.request(payu.ctx, getOrder);
    payu.advance((43199 - 61) * 1000);
    await client.request(payu.ctx, getOrder);
    expect(payu.oauthCalls()).toHaveLength(1);
    payu.advance(2000);
    await client.request(payu.ctx, getOrder);
    expect(payu.oauthCalls()).toHaveLength(2);
    expect(payu.apiCalls().at(-1)?.headers.get('authorization')).toBe('Bearer token-2');
  });

  it('shares one OAuth round trip between concurrent calls', async () => {
    const payu = fakePayu({ 'GET /api/v2_1/orders/X': ok });
    const client = createPayuClient(settings(), []);
    await Promise.all([1, 2, 3].map(() => client.request(payu.ctx, getOrder)));
    expect(payu.oauthCalls()).toHaveLength(1);
  });

  it('retries exactly once with a fresh token on 401', async () => {
    const revoked = new Set(['token-1']);
    const payu = fakePayu({
      'GET /api/v2_1/orders/X': (call) =>
        revoked.has(call.headers.get('authorization')?.slice(7) ?? '')
          ? json(401, { status: { statusCode: 'UNAUTHORIZED' } })
          : ok(),
    });
    const client = createPayuClient(settings(), []);
    const response = await client.request(payu.ctx, getOrder);
    expect(response.status).toBe(200);
    expect(payu.oauthCalls()).toHaveLength(2);
    expect(payu.apiCalls().map((c) => c.headers.get('authorization'))).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);

    // Still 401 with the fresh token: no third attempt, the 401 is returned to the caller.
    revoked.add('token-2').add('token-3');
    const again = await client.request(payu.ctx, getOrder);
    expect(again.status).toBe(401);
    expect(payu.apiCalls()).toHaveLength(4);
  });

  it('maps OAuth refusals and outages to clear errors', async () => {
    const refused = fakePayu({
      'POST /pl/standard/user/oauth/authorize': () => json(401, { error: 'invalid_client' }),
    });
    const error = await caught(createPayuClient(settings(), []).request(refused.ctx, getOrder));
    expect(isPaybridgeError(error) && error.code).toBe('BROKER_ERROR');
    expect(String((error as Error).message)).toContain('invalid_client');
    expect(String((error as Error).message)).not.toContain(SETTINGS.clientSecret);

    const down = fakePayu({ 'POST /pl/standard/user/oauth/authorize': () => json(503, {}) });
    const outage = await caught(createPayuClient(settings(), []).request(down.ctx, getOrder));
    expect(isPaybridgeError(outage) && outage.code).toBe('BROKER_UNAVAILABLE');
  });

  it('aborts a call that outlives timeoutMs and reports the broker unavailable', async () => {
    const payu = fakePayu();
    payu.ctx.fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const started = Date.now();
    const error = await caught(createPayuClient(settings({ timeoutMs: 50 }), []).request(payu.ctx, getOrder));
    expect(isPaybridgeError(error) && error.code).toBe('BROKER_UNAVAILABLE');
    expect((error as Error).message).toContain('50 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a body cut off mid-way as the broker being unavailable', async () => {
    const payu = fakePayu({
      'GET /api/v2_1/orders/X': () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"orders":['));
              controller.error(new TypeError('terminated'));
            },
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
    });
    const error = await caught(createPayuClient(settings(), []).request(payu.ctx, getOrder));
    expect(isPaybridgeError(error) && error.code).toBe('BROKER_UNAVAILABLE');
  });

  it('reports a network failure as the broker being unreachable', async () => {
    const payu = fakePayu();
    payu.ctx.fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const error = await caught(createPayuClient(settings(), []).request(payu.ctx, getOrder));
    expect(isPaybridgeError(error) && error.code).toBe('BROKER_UNAVAILABLE');
  });
});
