import { createPaybridge, memoryStore, type Paybridge } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { cmcic } from './cmcic';
import { computeMac } from './lib/mac';
import { bankEncode, KEY } from './test-support';

// Split payments ("paiement fractionné", protocols/cmcic.md §5.3) through the bridge: the first
// instalment comes as paiement + montantech, the next ones as paiement_pfN / Annulation_pfN.
const BASE = 'https://shop.example/pay';

async function started(): Promise<{ bridge: Paybridge; id: string; reference: string }> {
  const bridge = createPaybridge({
    baseUrl: BASE,
    store: memoryStore(),
    backends: [cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', testMode: false })],
    orders: { resolve: () => ({ amount: 3000, currency: 'EUR', description: 'Three times' }) },
  });
  const { payment } = await bridge.startPayment({ backend: 'cmcic', orderId: 'split-1' });
  return { bridge, id: payment.id, reference: payment.externalId as string };
}

async function notify(bridge: Paybridge, fields: Record<string, string>) {
  const MAC = await computeMac(KEY, fields, { scheme: 'current', direction: 'return' });
  const response = await bridge.handler(
    new Request(`${BASE}/notify/cmcic`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new TextDecoder().decode(bankEncode({ ...fields, MAC })),
    }),
  );
  expect(response.headers.get('content-type')).toBe('text/plain');
  return response.text();
}

describe('split payment returns through the bridge', () => {
  it('instalments add up to paid, each acknowledged once', async () => {
    const { bridge, id, reference } = await started();
    const common = { TPE: '1234567', montant: '30.00EUR', reference, 'texte-libre': '' };
    expect(
      await notify(bridge, {
        ...common,
        date: '15/01/2026_a_13:00:00',
        'code-retour': 'paiement',
        montantech: '10EUR',
      }),
    ).toBe('version=2\ncdr=0\n');
    expect((await bridge.getPayment(id))?.status).toBe('partially_paid');
    await notify(bridge, {
      ...common,
      date: '15/02/2026_a_03:00:00',
      'code-retour': 'paiement_pf2',
      montantech: '10EUR',
    });
    const pf3 = {
      ...common,
      date: '15/03/2026_a_03:00:00',
      'code-retour': 'paiement_pf3',
      montantech: '10EUR',
    };
    await notify(bridge, pf3);
    expect(await notify(bridge, pf3)).toBe('version=2\ncdr=0\n');
    const payment = await bridge.getPayment(id);
    expect(payment?.status).toBe('paid');
    expect(payment?.amountPaid).toBe(3000);
    expect(payment?.captures.map((c) => [c.id, c.amount])).toEqual([
      [`${reference}:1`, 1000],
      [`${reference}:2`, 1000],
      [`${reference}:3`, 1000],
    ]);
  });

  it('a refused later instalment never takes back what was paid', async () => {
    const { bridge, id, reference } = await started();
    const common = { TPE: '1234567', montant: '30.00EUR', reference, 'texte-libre': '' };
    await notify(bridge, {
      ...common,
      date: '15/01/2026_a_13:00:00',
      'code-retour': 'paiement',
      montantech: '10EUR',
    });
    const answer = await notify(bridge, {
      ...common,
      date: '15/02/2026_a_03:00:00',
      'code-retour': 'Annulation_pf2',
      montantech: '10EUR',
    });
    expect(answer).toBe('version=2\ncdr=0\n');
    const payment = await bridge.getPayment(id);
    expect(payment?.amountPaid).toBe(1000);
    expect(payment?.status).toBe('partially_paid');
  });
});
