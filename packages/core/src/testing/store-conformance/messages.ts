import { expect, it } from 'vitest';
import type { PaymentStore } from '../../store';

/** The gateway message log: appended, updated, paged latest first by payment and backend. */
export function messageChecks(store: () => PaymentStore): void {
  it('logs gateway messages, updates them, and pages them latest first by payment and backend', async () => {
    const backend = `b${Math.random().toString(36).slice(2, 8)}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const message = await store().appendMessage({
        direction: 'inbound',
        backend,
        kind: 'notification',
        method: 'POST',
        url: 'https://shop.example/payments/notify/x',
        headers: { 'content-type': 'application/json' },
        body: `{"n":${i},"text":"Zoë"}`,
        bodyEncoding: 'utf8',
        verdict: 'unverified',
        createdAt: new Date(Date.UTC(2026, 2, 1, 0, 0, i)).toISOString(),
      });
      expect(message.id).toBeTruthy();
      ids.push(message.id);
    }
    await store().updateMessage(ids[1] as string, {
      verdict: 'verified',
      outcome: 'applied',
      paymentId: 'pay_x',
      responseStatus: 200,
      responseBody: 'OK',
      durationMs: 5,
      detail: 'fine',
    });
    const page1 = await store().listMessages({ backend, limit: 2 });
    expect(page1.items.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    expect(page1.items[1]).toMatchObject({
      verdict: 'verified',
      outcome: 'applied',
      paymentId: 'pay_x',
      responseStatus: 200,
      body: '{"n":1,"text":"Zoë"}',
    });
    const page2 = await store().listMessages({ backend, limit: 2, cursor: page1.nextCursor as string });
    expect(page2.items.map((m) => m.id)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBeNull();
    const byPayment = await store().listMessages({ paymentId: 'pay_x' });
    expect(byPayment.items.map((m) => m.id)).toContain(ids[1]);
  });
}
