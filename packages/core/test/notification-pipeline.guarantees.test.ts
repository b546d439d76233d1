import { describe, expect, it, vi } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import type { Logger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import type { PaymentStore } from '../src/store';
import type { PaymentFact } from '../src/types';
import { BASE, fakeBroker, KEY, notification, setup } from './support/pipeline';

interface LogRecord {
  level: string;
  message: string;
  data?: Record<string, unknown>;
}

function recordingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void => {
      records.push({ level, message, ...(data ? { data } : {}) });
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, records };
}

const paid = (paymentId: string, id = 'T1') => ({
  paymentId,
  id,
  status: 'PAID',
  amount: 1500,
  currency: 'EUR',
});

describe('notification pipeline: order of the steps', () => {
  it('writes the raw message to the log before the backend even starts verifying', async () => {
    const store = memoryStore();
    const seenAtVerify: unknown[] = [];
    const backend = fakeBroker({
      onVerify: async () => {
        seenAtVerify.push(...(await store.listMessages({ backend: 'fake', direction: 'inbound' })).items);
      },
    });
    const { bridge } = setup({ store, backend });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-log' });
    const request = await notification(paid(payment.id));
    const raw = await request.clone().text();
    await bridge.handler(request);
    expect(seenAtVerify).toHaveLength(1);
    expect(seenAtVerify[0]).toMatchObject({ verdict: 'unverified', body: raw, bodyEncoding: 'utf8' });
    const [final] = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items;
    expect(final).toMatchObject({ verdict: 'verified', outcome: 'applied', responseStatus: 200 });
  });

  it('hands the backend the exact bytes and keeps bytes that are not UTF-8 as base64', async () => {
    const store = memoryStore();
    const received: Uint8Array[] = [];
    const spy: PaymentBackend = {
      ...fakeBroker(),
      async handleNotification(message) {
        received.push(message.body);
        return {
          verdict: 'rejected',
          code: 'MALFORMED_NOTIFICATION',
          message: 'binary',
          ack: { status: 400 },
        };
      },
    };
    const { bridge } = setup({ store, backend: spy });
    const bytes = Uint8Array.from([0xff, 0x00, 0x80, 0x41, 0xc3]);
    const response = await bridge.handler(
      new Request(`${BASE}/notify/fake`, { method: 'POST', body: bytes as BodyInit }),
    );
    expect(response.status).toBe(400);
    expect([...(received[0] ?? [])]).toEqual([...bytes]);
    const [logged] = (await store.listMessages({ backend: 'fake' })).items;
    expect(logged).toMatchObject({ bodyEncoding: 'base64', body: btoa(String.fromCharCode(...bytes)) });
  });

  it('runs listeners after the commit: they read the committed payment, and the ack follows them', async () => {
    const { bridge, store } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-commit' });
    const seen: Array<{ status?: string; version?: number }> = [];
    bridge.on('payment.accepted', async (event) => {
      const stored = await store.getPayment(event.payment.id);
      seen.push({ status: stored?.status, version: stored?.version });
    });
    const response = await bridge.handler(await notification(paid(payment.id)));
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ status: 'paid', version: 2 }]);
  });

  it('logs a throwing listener (with the event name) and still answers the broker exactly', async () => {
    const { logger, records } = recordingLogger();
    const { bridge, store } = setup({ config: { logger } });
    bridge.on('payment.accepted', () => {
      throw new Error('fulfilment service down');
    });
    bridge.on('payment.processed', async () => {
      throw new TypeError('analytics broke');
    });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-listener' });
    const response = await bridge.handler(await notification(paid(payment.id)));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OK');
    expect((await store.getPayment(payment.id))?.status).toBe('paid');
    const thrown = records.filter((r) => r.message === 'event listener threw');
    expect(thrown.map((r) => r.data?.event).sort()).toEqual(['payment.accepted', 'payment.processed']);
    expect(JSON.stringify(thrown)).toContain('fulfilment service down');
  });

  it('a listener that never finishes cannot hold back the acknowledgement', async () => {
    const { logger, records } = recordingLogger();
    const { bridge, store } = setup({ config: { logger, listenerTimeoutMs: 50 } });
    bridge.on('payment.accepted', () => new Promise<void>(() => {}));
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-hung' });
    const response = await bridge.handler(await notification(paid(payment.id)));
    expect(response.status).toBe(200);
    expect((await store.getPayment(payment.id))?.status).toBe('paid');
    expect(records.find((r) => r.message.includes('still running'))?.data).toMatchObject({
      event: 'payment.accepted',
    });
  });

  it('a listener that fails after we stopped waiting is still logged (no unhandled rejection)', async () => {
    const { logger, records } = recordingLogger();
    const { bridge } = setup({ config: { logger, listenerTimeoutMs: 20 } });
    bridge.on(
      'payment.accepted',
      () => new Promise<void>((_resolve, reject) => setTimeout(() => reject(new Error('late boom')), 60)),
    );
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-late' });
    expect((await bridge.handler(await notification(paid(payment.id)))).status).toBe(200);
    await vi.waitFor(() =>
      expect(records.find((r) => r.message === 'event listener threw')?.data?.error).toContain('late boom'),
    );
  });

  it('a throwing logger never breaks processing or the acknowledgement', async () => {
    const explode = () => {
      throw new Error('log sink down');
    };
    const logger: Logger = { debug: explode, info: explode, warn: explode, error: explode };
    const { bridge, store } = setup({ config: { logger } });
    bridge.on('payment.accepted', () => {
      throw new Error('and a listener too');
    });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-logger' });
    const forged = await bridge.handler(await notification(paid(payment.id, 'TX'), false));
    expect(forged.status).toBe(400);
    const response = await bridge.handler(await notification(paid(payment.id)));
    expect(response.status).toBe(200);
    expect((await store.getPayment(payment.id))?.status).toBe('paid');
  });
});

describe('notification pipeline: delivery faults', () => {
  it('a capture arriving after a refusal still means paid (reordered delivery, money wins)', async () => {
    const { bridge, store, events } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-reorder' });
    await bridge.handler(await notification({ ...paid(payment.id), status: 'FAILED' }));
    expect((await store.getPayment(payment.id))?.status).toBe('failed');
    const late = await bridge.handler(await notification(paid(payment.id)));
    expect(late.status).toBe(200);
    expect(await store.getPayment(payment.id)).toMatchObject({ status: 'paid', amountPaid: 1500 });
    expect(events.filter((e) => e === 'payment.declined')).toHaveLength(1);
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(1);
  });

  it('dedupes by broker event id: a second message with the same id changes nothing, whatever it says', async () => {
    const { bridge, store } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-dedupe' });
    await bridge.handler(await notification({ ...paid(payment.id), status: 'PENDING' }));
    // Same event id ("T1:PENDING"), but a tampered-looking amount: the id was claimed, so it is a duplicate.
    await bridge.handler(await notification({ ...paid(payment.id), status: 'PENDING', amount: 1 }));
    const log = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items;
    expect(log.map((m) => m.outcome)).toEqual(['duplicate', 'applied']);
    expect((await store.listTransitions(payment.id)).map((t) => t.cause)).toEqual(['created', 'pending']);
  });

  it('pulls the status when the backend asks, and applies what the broker says', async () => {
    const pulled: string[] = [];
    const backend = fakeBroker({
      pull: (paymentId): PaymentFact[] => {
        pulled.push(paymentId);
        return [{ type: 'captured', eventId: 'pull:T1', captureId: 'T1', amount: 1500, currency: 'EUR' }];
      },
    });
    const { bridge, store, events } = setup({ backend });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-pull' });
    const response = await bridge.handler(await notification({ ...paid(payment.id), status: 'PENDING' }));
    expect(response.status).toBe(200);
    expect(pulled).toEqual([payment.id]);
    expect(await store.getPayment(payment.id)).toMatchObject({ status: 'paid', amountPaid: 1500 });
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(1);
  });

  it('a pull that fails answers 503 and applies nothing, so the broker retries the whole message', async () => {
    let brokerDown = true;
    const backend = fakeBroker({
      pull: (): PaymentFact[] => {
        if (brokerDown) throw new Error('broker API answered 500');
        return [{ type: 'captured', eventId: 'pull:T1', captureId: 'T1', amount: 1500, currency: 'EUR' }];
      },
    });
    const { bridge, store } = setup({ backend });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-pull-down' });
    const body = { ...paid(payment.id), status: 'PENDING' };
    expect((await bridge.handler(await notification(body))).status).toBe(503);
    expect((await store.getPayment(payment.id))?.status).toBe('new');
    brokerDown = false;
    expect((await bridge.handler(await notification(body))).status).toBe(200);
    expect((await store.getPayment(payment.id))?.status).toBe('paid');
  });

  it('delivers the events of updates committed before our own failure, and the retry applies the rest', async () => {
    const inner = memoryStore();
    let failFor: string | null = null;
    const store: PaymentStore = {
      ...inner,
      applyChange: (request) =>
        request.paymentId === failFor
          ? Promise.reject(new Error('database is down'))
          : inner.applyChange(request),
    };
    const base = fakeBroker();
    const { bridge, events } = setup({ store, backend: base });
    const first = await bridge.startPayment({ backend: 'fake', orderId: 'order-two-a' });
    const second = await bridge.startPayment({ backend: 'fake', orderId: 'order-two-b' });
    // One broker message about two payments (a batch), the second of which cannot be written.
    base.handleNotification = async () => {
      return {
        verdict: 'verified',
        updates: [first.payment.id, second.payment.id].map((paymentId) => ({
          paymentId,
          facts: [
            {
              type: 'captured',
              eventId: `cap-${paymentId}`,
              captureId: paymentId,
              amount: 1500,
              currency: 'EUR',
            },
          ],
        })),
        ack: { status: 200, body: 'OK' },
      };
    };
    failFor = second.payment.id;
    const failed = await bridge.handler(new Request(`${BASE}/notify/fake`, { method: 'POST', body: '{}' }));
    expect(failed.status).toBe(503);
    expect((await inner.getPayment(first.payment.id))?.status).toBe('paid');
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(1);
    failFor = null;
    const retried = await bridge.handler(new Request(`${BASE}/notify/fake`, { method: 'POST', body: '{}' }));
    expect(retried.status).toBe(200);
    expect((await inner.getPayment(second.payment.id))?.status).toBe('paid');
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(2);
  });

  it('keeps a refused oversize notification on record (413, unread)', async () => {
    const { bridge, store } = setup({ config: { maxBodyBytes: 1024 } });
    const response = await bridge.handler(
      new Request(`${BASE}/notify/fake`, { method: 'POST', body: 'x'.repeat(2048) }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const [logged] = (await store.listMessages({ backend: 'fake' })).items;
    expect(logged).toMatchObject({
      verdict: 'rejected',
      outcome: 'too-large',
      responseStatus: 413,
      body: '',
    });
  });
});

describe('notification pipeline: secrets', () => {
  it('never hands a configured secret to the logger, even inside a backend error', async () => {
    const { logger, records } = recordingLogger();
    const leaky: PaymentBackend = {
      ...fakeBroker(),
      async handleNotification() {
        throw new Error(`could not call https://broker.example/?key=${KEY}`);
      },
    };
    const { bridge } = setup({ backend: leaky, config: { logger } });
    const response = await bridge.handler(await notification(paid('pay_x')));
    expect(response.status).toBe(503);
    const text = JSON.stringify(records);
    expect(records.some((r) => r.message.includes('backend failed'))).toBe(true);
    expect(text).not.toContain(KEY);
    expect(text).toContain('[REDACTED]');
  });
});
