import { type Anomaly, createPaybridge, memoryStore, type Paybridge } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { cmcic } from '../src/cmcic';
import { computeMac, type MacScheme } from '../src/lib/mac';
import { bankEncode, cardReturn, formPost, KEY, makeContext } from './support/fixtures';

// Issue 14 item 3: fields the MAC does not cover never decide money or identity. In the legacy
// scheme `montantech` (and the fraud, express and Monetico-era fields) are outside the seal
// (protocols/cmcic.md §3.4), so anyone replaying a genuine return can add them without breaking it.
const BASE = 'https://shop.example/pay';

async function started(scheme: MacScheme) {
  const anomalies: Anomaly[] = [];
  const bridge = createPaybridge({
    baseUrl: BASE,
    store: memoryStore(),
    testMode: true,
    backends: [cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', macScheme: scheme })],
    orders: {
      resolve: () => ({
        amount: 1999,
        currency: 'EUR',
        description: 'One thing',
        buyer: {
          billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
        },
      }),
    },
  });
  bridge.on('payment.anomaly', ({ anomaly }) => {
    anomalies.push(anomaly);
  });
  const { payment } = await bridge.startPayment({ backend: 'cmcic', orderId: `order-${scheme}` });
  const signed = cardReturn('1234567', payment);
  return { bridge, id: payment.id, signed, anomalies };
}

/**
 * Posts `sealed` with its MAC, plus `added` fields appended after sealing: in the legacy scheme
 * the positional MAC does not cover them, so the message still verifies.
 */
async function post(
  bridge: Paybridge,
  scheme: MacScheme,
  sealed: Record<string, string>,
  added: Record<string, string> = {},
) {
  const MAC = await computeMac(KEY, sealed, { scheme, direction: 'return' });
  const response = await bridge.handler(
    formPost(`${BASE}/notify/cmcic`, bankEncode({ ...sealed, MAC, ...added })),
  );
  return response.text();
}

describe('CM-CIC: fields outside the MAC', () => {
  it('issue 14 item 3: an unsigned montantech added to a legacy return does not set the captured amount', async () => {
    const { bridge, id, signed, anomalies } = await started('legacy');
    expect(await post(bridge, 'legacy', signed, { montantech: '0.01EUR' })).toBe('version=2\ncdr=0\n');
    const payment = await bridge.getPayment(id);
    expect(payment?.amountPaid).toBe(0);
    expect(payment?.captures).toEqual([]);
    expect(payment?.status).not.toMatch(/paid/);
    expect(anomalies).toMatchObject([{ code: 'IMPOSSIBLE_FACT', paymentId: id }]);
    expect(anomalies[0]?.message).toMatch(/montantech/);
  });

  it('issue 14 item 3: a genuine legacy return replayed with montantech is neither a new event nor more money', async () => {
    const { bridge, id, signed, anomalies } = await started('legacy');
    expect(await post(bridge, 'legacy', signed)).toBe('version=2\ncdr=0\n');
    expect(await post(bridge, 'legacy', signed, { montantech: '19.99EUR' })).toBe('version=2\ncdr=0\n');
    expect(await post(bridge, 'legacy', signed, { montantech: '5EUR', nbrech: '4' })).toBe(
      'version=2\ncdr=0\n',
    );
    const payment = await bridge.getPayment(id);
    expect(payment?.status).toBe('paid');
    expect(payment?.amountPaid).toBe(1999);
    expect(payment?.captures.map((capture) => [capture.id, capture.amount])).toEqual([
      [signed.reference, 1999],
    ]);
    expect(anomalies.map((anomaly) => anomaly.code)).toEqual(['IMPOSSIBLE_FACT', 'IMPOSSIBLE_FACT']);
  });

  for (const scheme of ['current', 'legacy'] as const) {
    it(`issue 14 item 3: instalment returns for a payment that did not request them are refused (${scheme} scheme)`, async () => {
      const { bridge, id, signed, anomalies } = await started(scheme);
      const before = await bridge.getPayment(id);
      // In the current scheme montantech is sealed, in the legacy one it is not: refused in both.
      const withInstalment = async (fields: Record<string, string>) =>
        scheme === 'current'
          ? post(bridge, scheme, { ...fields, montantech: '5EUR' })
          : post(bridge, scheme, fields, { montantech: '5EUR' });
      expect(await withInstalment(signed)).toBe('version=2\ncdr=0\n');
      expect(await withInstalment({ ...signed, 'code-retour': 'paiement_pf2' })).toBe('version=2\ncdr=0\n');
      expect(await post(bridge, scheme, { ...signed, 'code-retour': 'Annulation_pf3' })).toBe(
        'version=2\ncdr=0\n',
      );
      const payment = await bridge.getPayment(id);
      expect(payment?.amountPaid).toBe(0);
      expect(payment?.status).toBe(before?.status);
      expect(payment?.version).toBe(before?.version);
      expect(anomalies.map((anomaly) => [anomaly.code, anomaly.paymentId])).toEqual([
        ['IMPOSSIBLE_FACT', id],
        ['IMPOSSIBLE_FACT', id],
        ['IMPOSSIBLE_FACT', id],
      ]);
      // The refusal changed nothing either: the genuine payment still pays.
      expect(await post(bridge, scheme, signed)).toBe('version=2\ncdr=0\n');
      expect((await bridge.getPayment(id))?.amountPaid).toBe(1999);
    });
  }

  it('issue 14 item 3: a legacy refusal takes its reason from sealed fields only', async () => {
    const { bridge, id, signed } = await started('legacy');
    const refusal = { ...signed, 'code-retour': 'Annulation', numauto: '', motifrefus: 'Refus' };
    const unsealed = { motifrefusautorisation: 'Refus test', filtragecause: '4-', filtragevaleur: 'FRA-' };
    const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', macScheme: 'legacy' });
    const payment = await bridge.getPayment(id);
    const MAC = await computeMac(KEY, refusal, { scheme: 'legacy', direction: 'return' });
    const outcome = await backend.handleNotification(
      {
        method: 'POST',
        url: `${BASE}/notify/cmcic`,
        headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded' }),
        body: bankEncode({ ...refusal, MAC, ...unsealed }),
        clientIp: null,
        receivedAt: new Date(),
      },
      { ...makeContext(payment ? [payment] : []), testMode: true },
    );
    if (outcome.verdict !== 'verified') throw new Error(outcome.verdict);
    const [data, failed] = outcome.updates[0]?.facts ?? [];
    expect(failed).toEqual({
      type: 'failed',
      eventId: `${signed.reference}:annulation:${signed.date}`,
      transactionId: `${signed.reference}@${signed.date}`,
      reason: 'payment refused: Refus',
    });
    // Still reported, flagged as unauthenticated.
    expect(data).toMatchObject({
      data: {
        cmcic: {
          authorisationRefusal: 'Refus test',
          unauthenticatedFields: ['motifrefusautorisation', 'filtragecause', 'filtragevaleur'],
        },
      },
    });
  });
});
