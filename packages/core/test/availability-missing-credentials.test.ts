import { describe, expect, it } from 'vitest';
import { availableBackends } from '../src/availability';
import type { MissingCredentials, PaymentBackend } from '../src/backend';
import { dummy } from '../src/dummy-backend';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';

const base = dummy({ signingKey: 'k'.repeat(32), testMode: false });
const noApi: MissingCredentials = {
  setting: 'api',
  message: 'No API credentials: refunds and status pulls happen in the back office',
  operations: ['pull', 'refund', 'partialRefund'],
};
const withoutApi: PaymentBackend = {
  ...base,
  id: 'limited',
  displayName: 'Limited',
  missingCredentials: [noApi],
};
const eurOnlyWithoutApi: PaymentBackend = {
  ...withoutApi,
  id: 'eur',
  displayName: 'Euro',
  currencies: ['EUR'],
};

describe('availableBackends: optional credentials a backend runs without', () => {
  it('an available backend says which credentials are missing and which operations that turns off', () => {
    const result = availableBackends([base, withoutApi], { currency: 'PLN' }, () => true);
    expect(result.available).toEqual([
      { id: base.id, displayName: base.displayName, testMode: true },
      { id: 'limited', displayName: 'Limited', testMode: true, missingCredentials: [noApi] },
    ]);
    expect(result.unavailable).toEqual([]);
  });

  it('an unavailable backend says it too, beside its reasons', () => {
    const result = availableBackends([eurOnlyWithoutApi], { currency: 'PLN' }, () => true);
    expect(result.unavailable).toEqual([
      {
        id: 'eur',
        displayName: 'Euro',
        reasons: [expect.objectContaining({ code: 'CURRENCY' })],
        missingCredentials: [noApi],
      },
    ]);
  });

  it('hands out copies: changing the answer leaves the backend as it was', () => {
    const result = availableBackends([withoutApi], { currency: 'EUR' }, () => true);
    const operations = result.available[0]?.missingCredentials?.[0]?.operations as string[] | undefined;
    expect(operations).toEqual(['pull', 'refund', 'partialRefund']);
    operations?.push('capture');
    expect(noApi.operations).toEqual(['pull', 'refund', 'partialRefund']);
  });

  it('through the bridge and GET /methods', async () => {
    const bridge = createPaybridge({
      baseUrl: 'https://shop.test/pay',
      backends: [withoutApi],
      store: memoryStore(),
      logger: silentLogger,
      orders: { resolve: () => null },
    });
    expect(bridge.availableBackends({ currency: 'EUR' }).available[0]?.missingCredentials).toEqual([noApi]);
    const response = await bridge.handler(new Request('https://shop.test/pay/methods?currency=EUR'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as ReturnType<typeof availableBackends>;
    expect(body.available[0]?.missingCredentials).toEqual([noApi]);
  });
});
