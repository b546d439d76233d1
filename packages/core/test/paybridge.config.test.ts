import { describe, expect, it } from 'vitest';
import type { PaybridgeConfig } from '../src/config';
import { dummy } from '../src/dummy-backend';
import { isPaybridgeError, type PaybridgeError } from '../src/errors';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';

const BASE = 'https://shop.example/payments';
const orders = { resolve: () => ({ amount: 100, currency: 'EUR', description: 'x' }) };

function constructionError(config: Record<string, unknown>): PaybridgeError {
  try {
    createPaybridge({
      baseUrl: BASE,
      backends: [dummy({ signingKey: 'k'.repeat(32) })],
      logger: silentLogger,
      outboxPollSeconds: 0,
      ...config,
    } as PaybridgeConfig);
  } catch (error) {
    if (isPaybridgeError(error)) return error;
    throw error;
  }
  throw new Error('createPaybridge accepted the configuration');
}

describe('createPaybridge reports configuration mistakes at construction', () => {
  it('requires orders.resolve unless payments start from signed buttons only', () => {
    const error = constructionError({});
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('orders.resolve: required');
    expect(constructionError({ orders: {} }).message).toContain('orders.resolve');
    // With a secret (signed buttons) and no resolver, the bridge is valid.
    const buttonsOnly = createPaybridge({
      baseUrl: BASE,
      backends: [dummy({ signingKey: 'k'.repeat(32) })],
      logger: silentLogger,
      secret: 's'.repeat(40),
      outboxPollSeconds: 0,
    });
    expect(buttonsOnly.backend('dummy').id).toBe('dummy');
  });

  it('reports unknown settings (with the likely intended one), every problem at once', () => {
    const error = constructionError({ orders, testmode: true, storage: {}, secret: 'short' });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.details?.problems).toEqual([
      'testmode: unknown setting (did you mean `testMode`?)',
      'storage: unknown setting',
      'secret: must be at least 32 characters',
    ]);
  });

  it('accepts every documented setting', () => {
    const bridge = createPaybridge({
      baseUrl: BASE,
      backends: [dummy({ signingKey: 'k'.repeat(32) })],
      store: undefined,
      orders,
      testMode: true,
      trustProxy: ['10.0.0.0/8'],
      logger: silentLogger,
      secret: 's'.repeat(40),
      fetch: globalThis.fetch,
      now: () => new Date(),
      maxBodyBytes: 1024,
      paymentTtlSeconds: 60,
      outboundTimeoutMs: 1000,
      listenerTimeoutMs: 1000,
      outboxPollSeconds: 0,
    });
    expect(bridge.backend('dummy').id).toBe('dummy');
  });
});

describe('GET /methods', () => {
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [dummy({ signingKey: 'k'.repeat(32) })],
    logger: silentLogger,
    orders,
    outboxPollSeconds: 0,
  });
  const get = async (query: string) => {
    const response = await bridge.handler(new Request(`${BASE}/methods${query}`));
    return { status: response.status, body: (await response.json()) as { error: { message: string } } };
  };

  it('says an unknown currency is not a supported ISO 4217 code, and a missing one is required', async () => {
    const unknown = await get('?currency=zzz');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('currency "ZZZ" is not a supported ISO 4217 code');
    const odd = await get(`?currency=${encodeURIComponent('<b>euro</b>')}`);
    expect(odd.status).toBe(400);
    expect(odd.body.error.message).toBe('currency is not a supported ISO 4217 code');
    const missing = await get('');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('currency (ISO 4217) is required');
  });
});
