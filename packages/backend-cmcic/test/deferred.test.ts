import { createPaybridge, memoryStore } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { cmcic } from '../src/cmcic';
import { computeMac } from '../src/lib/mac';
import { bankEncode, formPost, KEY } from './support/fixtures';

// A deferred terminal (cmcic-api.md §1): the return looks the same, but it means authorised.
const BASE = 'https://shop.example/pay';

describe('terminalMode', () => {
  it('deferred: a paid return authorises; capture and cancel are offered, partial capture is not', async () => {
    const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', terminalMode: 'deferred' });
    expect(backend.capabilities).toMatchObject({
      capture: true,
      cancel: true,
      partialCapture: false,
      refund: true,
    });
    const bridge = createPaybridge({
      baseUrl: BASE,
      store: memoryStore(),
      testMode: true,
      backends: [backend],
      orders: {
        resolve: () => ({
          amount: 4200,
          currency: 'EUR',
          description: 'Later',
          buyer: {
            billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
          },
        }),
      },
    });
    const { payment } = await bridge.startPayment({ backend: 'cmcic', orderId: 'deferred-1' });
    const fields = {
      TPE: '1234567',
      date: '06/12/2026_a_10:00:00',
      montant: '42.00EUR',
      reference: payment.externalId as string,
      'texte-libre': '',
      'code-retour': 'payetest',
      numauto: '000000',
    };
    const MAC = await computeMac(KEY, fields, { scheme: 'current', direction: 'return' });
    const response = await bridge.handler(formPost(`${BASE}/notify/cmcic`, bankEncode({ ...fields, MAC })));
    expect(await response.text()).toBe('version=2\ncdr=0\n');
    const stored = await bridge.getPayment(payment.id);
    expect(stored).toMatchObject({ status: 'authorized', amountAuthorized: 4200, amountPaid: 0 });
    expect(stored?.externalId).toBe(payment.externalId);
  });

  it('immediate (default) offers refunds only; partial offers partial capture', () => {
    const base = { tpe: '1234567', key: KEY, company: 'monSite1' };
    expect(cmcic(base).capabilities).toMatchObject({
      capture: false,
      cancel: false,
      refund: true,
      partialRefund: true,
    });
    expect(cmcic({ ...base, terminalMode: 'partial' }).capabilities).toMatchObject({
      capture: true,
      partialCapture: true,
    });
    expect(() => cmcic({ ...base, terminalMode: 'later' as never })).toThrow(/terminalMode/);
  });
});
