import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import { BASE, fakeBroker, notification, setup } from './support/pipeline';

/** Issue 14 item 4: what unauthenticated requests can make the server do and write. */
describe('unauthenticated requests: broker pulls and the message log are bounded', () => {
  function world(config: { pullIntervalSeconds?: number; logBodyLimitBytes?: number } = {}) {
    let t = Date.UTC(2026, 11, 6, 12);
    const pulls: string[] = [];
    const broker = fakeBroker({
      transactionIds: true,
      pull: (paymentId) => {
        pulls.push(paymentId);
        return [];
      },
    });
    const backend: PaymentBackend = {
      ...broker,
      handleReturn: async () => ({ hint: 'unknown', pull: true }),
    };
    const { bridge, store } = setup({ backend, config: { now: () => new Date(t), ...config } });
    const start = async () => (await bridge.startPayment({ backend: 'fake', orderId: 'order-1' })).payment;
    const back = (paymentId: string, init?: RequestInit) =>
      bridge.handler(new Request(`${BASE}/return/fake/${paymentId}`, init));
    return { bridge, store, pulls, start, back, advance: (ms: number) => (t += ms) };
  }

  it('issue 14 item 4: return-triggered pulls are rate-limited per payment and skipped for final states', async () => {
    const w = world();
    const one = await w.start();
    const two = await w.start();
    for (let i = 0; i < 5; i++) expect((await w.back(one.id)).status).toBe(200);
    await w.back(two.id);
    expect(w.pulls).toEqual([one.id, two.id]);
    w.advance(29_999);
    await w.back(one.id);
    expect(w.pulls).toHaveLength(2);
    w.advance(1);
    await w.back(one.id);
    expect(w.pulls).toEqual([one.id, two.id, one.id]);

    // Paid: a settled payment is never pulled from a return (the fake broker's notification pulls once itself).
    await w.bridge.handler(
      await notification({ paymentId: two.id, id: 'T-2', status: 'PAID', amount: 1500, currency: 'EUR' }),
    );
    expect(await w.bridge.getPayment(two.id)).toMatchObject({ status: 'paid' });
    const before = w.pulls.length;
    w.advance(60_000);
    await w.back(two.id);
    expect(w.pulls).toHaveLength(before);
  });

  it('the interval is configurable (0: no limit)', async () => {
    const w = world({ pullIntervalSeconds: 0 });
    const payment = await w.start();
    for (let i = 0; i < 3; i++) await w.back(payment.id);
    expect(w.pulls).toHaveLength(3);
  });

  it('issue 14 item 4: forged or unverifiable bodies are cut in the message log past a limit, and the cut is counted', async () => {
    const w = world();
    const payment = await w.start();
    const huge = JSON.stringify({
      paymentId: payment.id,
      id: 'T-X',
      status: 'PAID',
      pad: 'é'.repeat(50_000),
    });
    const forged = await w.bridge.handler(
      new Request(`${BASE}/notify/fake`, { method: 'POST', headers: { 'x-signature': '00' }, body: huge }),
    );
    expect(forged.status).toBe(400);
    const size = new TextEncoder().encode(huge).length;
    let [row] = (await w.store.listMessages({ direction: 'inbound', limit: 1 })).items;
    expect(row).toMatchObject({ verdict: 'rejected', bodyEncoding: 'utf8' });
    expect(new TextEncoder().encode(row?.body).length).toBeLessThanOrEqual(8192);
    expect(row?.detail).toMatch(
      new RegExp(`^body truncated: 819[12] of ${size} bytes kept \\(\\d+ cut\\); INVALID_SIGNATURE`),
    );

    // A customer's return (anyone can post one) is cut the same way.
    await w.back(payment.id, { method: 'POST', body: 'x'.repeat(20_000) });
    [row] = (await w.store.listMessages({ direction: 'inbound', limit: 1 })).items;
    expect(row).toMatchObject({
      kind: 'return',
      detail: 'body truncated: 8192 of 20000 bytes kept (11808 cut)',
    });
    expect(row?.body).toHaveLength(8192);

    // A genuine message is the evidence: logged whole, whatever its size.
    const genuine = await notification({
      paymentId: payment.id,
      id: 'T-1',
      status: 'PAID',
      amount: 1500,
      currency: 'EUR',
      pad: 'y'.repeat(20_000),
    });
    expect((await w.bridge.handler(genuine)).status).toBe(200);
    [row] = (await w.store.listMessages({ direction: 'inbound', limit: 1 })).items;
    expect(row).toMatchObject({ verdict: 'verified', outcome: 'applied', detail: null });
    expect(row?.body.length).toBeGreaterThan(20_000);
    expect(await w.bridge.getPayment(payment.id)).toMatchObject({ status: 'paid' });
  });

  it('the log limit is configurable', async () => {
    const w = world({ logBodyLimitBytes: 1024 });
    const payment = await w.start();
    await w.back(payment.id, { method: 'POST', body: 'x'.repeat(2000) });
    const [row] = (await w.store.listMessages({ direction: 'inbound', limit: 1 })).items;
    expect(row?.body).toHaveLength(1024);
  });
});
