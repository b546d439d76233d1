import { createPaybridge, memoryStore, silentLogger } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { payu } from '../src/payu';
import { SETTINGS } from './support/fixtures';

/**
 * Capabilities are true only where the operation works end to end through the sandbox (e2e*.test.ts).
 * Recurring is left out: PayU's reusable card tokens need its embedded Secure Form, which an off-site
 * redirect does not give (payu-recurring.md §0, §2.3; README "Recurring payments: not offered").
 */
describe('payu() capabilities', () => {
  it('pull, capture, cancel, refund and partial refund; no partial capture, no recurring', () => {
    expect(payu(SETTINGS).capabilities).toEqual({
      pull: true,
      capture: true,
      cancel: true,
      refund: true,
      partialRefund: true,
      partialCapture: false,
      recurring: false,
    });
  });

  it('is not offered for a recurring purchase', () => {
    const bridge = createPaybridge({
      baseUrl: 'https://shop.test/pay',
      store: memoryStore(),
      logger: silentLogger,
      backends: [payu(SETTINGS)],
      orders: { resolve: () => null },
    });
    expect(bridge.availableBackends({ currency: 'PLN' }).available.map((b) => b.id)).toEqual(['payu']);
    const recurring = bridge.availableBackends({ currency: 'PLN', recurring: true });
    expect(recurring.available).toEqual([]);
    expect(recurring.unavailable).toEqual([
      expect.objectContaining({ id: 'payu', reasons: [expect.objectContaining({ code: 'CAPABILITY' })] }),
    ]);
  });
});
