import { describe, expect, it } from 'vitest';
import { availableBackends } from '../src/availability';
import type { PaymentBackend } from '../src/backend';
import { dummy } from '../src/dummy-backend';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';

const base = dummy({ signingKey: 'k'.repeat(32), testMode: false });
const backend = (overrides: Partial<PaymentBackend>): PaymentBackend => ({ ...base, ...overrides });

const eurOnly = backend({ id: 'eur', displayName: 'Euro Only', currencies: ['EUR'], testMode: undefined });
const recurring = backend({
  id: 'subs',
  displayName: 'Subscriptions',
  currencies: null,
  capabilities: { ...base.capabilities, recurring: true },
  amountLimits: [{ currency: 'EUR', min: 100, max: 10_000 }],
});
const noSubscriptionsOnThisAccount = backend({
  id: 'acct',
  displayName: 'Account Limits',
  capabilities: { ...base.capabilities, recurring: true },
  availability: (query) =>
    query.recurring
      ? [{ code: 'CONFIGURATION', message: 'subscriptions are not enabled on this account' }]
      : [],
});
const broken = backend({
  id: 'broken',
  displayName: 'Broken',
  availability: () => {
    throw new Error('secret-value-123 missing');
  },
});

const codes = (result: ReturnType<typeof availableBackends>, id: string) =>
  result.unavailable.find((u) => u.id === id)?.reasons.map((r) => r.code);

describe('availableBackends', () => {
  const all = [eurOnly, recurring, noSubscriptionsOnThisAccount, broken];

  it('gives every reason each backend is left out: currency, capability, amount limit, configuration', () => {
    const result = availableBackends(all, { currency: 'usd', amount: 50, recurring: true }, () => true);
    expect(result.available.map((a) => a.id)).toEqual(['subs']);
    expect(codes(result, 'eur')).toEqual(['CURRENCY', 'CAPABILITY']);
    expect(result.unavailable.find((u) => u.id === 'subs')).toBeUndefined();
    expect(codes(result, 'acct')).toEqual(['CONFIGURATION']);
    expect(codes(result, 'broken')).toEqual(['CAPABILITY', 'CONFIGURATION']);
    // A backend's failing check never leaks its error text.
    expect(JSON.stringify(result)).not.toContain('secret-value-123');
  });

  it('applies amount limits of the purchase currency only, and only when an amount is given', () => {
    const low = availableBackends([recurring], { currency: 'EUR', amount: 99 }, () => false);
    expect(codes(low, 'subs')).toEqual(['AMOUNT_LIMIT']);
    const high = availableBackends([recurring], { currency: 'EUR', amount: 10_001 }, () => false);
    expect(high.unavailable[0]?.reasons[0]?.message).toContain('at most 10000');
    expect(
      availableBackends([recurring], { currency: 'PLN', amount: 1 }, () => false).available,
    ).toHaveLength(1);
    expect(availableBackends([recurring], { currency: 'EUR' }, () => false).available).toEqual([
      { id: 'subs', displayName: 'Subscriptions', testMode: false },
    ]);
  });

  it('reports a backend the signed button does not offer as CONFIGURATION', () => {
    const result = availableBackends([eurOnly], { currency: 'EUR' }, () => false, ['subs']);
    expect(codes(result, 'eur')).toEqual(['CONFIGURATION']);
  });

  it('is what GET /methods answers, with the resolved test mode', async () => {
    const bridge = createPaybridge({
      baseUrl: 'https://shop.example/payments',
      backends: [eurOnly, { ...noSubscriptionsOnThisAccount, testMode: true }],
      testMode: false,
      logger: silentLogger,
      orders: { resolve: () => null },
    });
    const response = await bridge.handler(
      new Request('https://shop.example/payments/methods?currency=EUR&amount=500&recurring=1'),
    );
    expect(await response.json()).toEqual({
      available: [],
      unavailable: [
        { id: 'eur', displayName: 'Euro Only', reasons: [expect.objectContaining({ code: 'CAPABILITY' })] },
        {
          id: 'acct',
          displayName: 'Account Limits',
          reasons: [expect.objectContaining({ code: 'CONFIGURATION' })],
        },
      ],
    });
    const oneOff = await bridge.handler(new Request('https://shop.example/payments/methods?currency=EUR'));
    expect(((await oneOff.json()) as { available: unknown[] }).available).toEqual([
      { id: 'eur', displayName: 'Euro Only', testMode: false },
      { id: 'acct', displayName: 'Account Limits', testMode: true },
    ]);
    const negative = await bridge.handler(
      new Request('https://shop.example/payments/methods?currency=EUR&amount=-5'),
    );
    expect(negative.status).toBe(400);
  });
});
