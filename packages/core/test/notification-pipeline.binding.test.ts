import { describe, expect, it } from 'vitest';
import type { PaybridgeEvents } from '../src/events';
import { fakeBroker, notification, setup } from './support/pipeline';

/** Binding (DESIGN §6) through the pipeline: the transaction that first proved money owns the payment. */
describe('notification pipeline: binding', () => {
  const start = async (bridge: ReturnType<typeof setup>['bridge']) =>
    (await bridge.startPayment({ backend: 'fake', orderId: 'order-1' })).payment;
  const say = (paymentId: string, id: string, status: string, amount = 1500) =>
    notification({ paymentId, id, status, amount, currency: 'EUR' });

  it('issue 14 item 2: a failure for another transaction never fails the bound payment', async () => {
    const { bridge, store, events } = setup({ backend: fakeBroker({ transactionIds: true }) });
    const processed: Array<PaybridgeEvents['payment.processed']> = [];
    bridge.on('payment.processed', (event) => {
      processed.push(event);
    });
    const payment = await start(bridge);

    // A stranger's own checkout naming our payment, refused at the broker: the payment stays payable.
    expect((await bridge.handler(await say(payment.id, 'T-STRANGER', 'FAILED'))).status).toBe(200);
    let now = await bridge.getPayment(payment.id);
    expect(now).toMatchObject({ status: 'new', externalId: null });
    expect(events).not.toContain('payment.declined');
    // Reported: logged with the message, and on payment.processed (nothing applied).
    expect(processed.at(-1)).toMatchObject({
      outcome: 'unchanged',
      facts: [{ type: 'failed', transactionId: 'T-STRANGER' }],
    });
    const [logged] = (await store.listMessages({ direction: 'inbound', limit: 1 })).items;
    expect(logged).toMatchObject({ verdict: 'verified', outcome: 'unchanged', paymentId: payment.id });
    expect(logged?.detail).toMatch(/another attempt: failed of transaction T-STRANGER/);

    // The customer pays: that transaction binds the payment.
    await bridge.handler(await say(payment.id, 'T-OWN', 'PAID'));
    now = await bridge.getPayment(payment.id);
    expect(now).toMatchObject({ status: 'paid', externalId: 'T-OWN', amountPaid: 1500 });

    // Neither another failure nor a "pending" of a stranger's transaction touches it.
    await bridge.handler(await say(payment.id, 'T-STRANGER-2', 'FAILED'));
    await bridge.handler(await say(payment.id, 'T-STRANGER-3', 'PENDING'));
    expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'paid', externalId: 'T-OWN' });
    expect(events).not.toContain('payment.declined');
  });

  it('a failure of the bound transaction itself still fails an unpaid payment', async () => {
    const { bridge } = setup({ backend: fakeBroker({ transactionIds: true }) });
    const payment = await start(bridge);
    // Bound by the merchant's own request (as PayU's orderId is), then refused at the broker.
    await bridge.store.applyChange({
      paymentId: payment.id,
      eventIds: [],
      compute: (current) => ({
        payment: { ...current, externalId: 'T-OWN', version: current.version + 1 },
        transitions: [],
      }),
    });
    await bridge.handler(await say(payment.id, 'T-OWN', 'FAILED'));
    expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'failed', externalId: 'T-OWN' });
  });

  it('money from another transaction is recorded; a second full payment is an overpayment anomaly', async () => {
    const { bridge, events } = setup({ backend: fakeBroker({ transactionIds: true }) });
    const payment = await start(bridge);
    await bridge.handler(await say(payment.id, 'T-SHORT', 'PAID', 500));
    // Not the amount (a non-partial capture must be whole): an anomaly, and it binds nothing.
    expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'new', externalId: null });
    await bridge.handler(await say(payment.id, 'T-OWN', 'PAID'));
    await bridge.handler(await say(payment.id, 'T-OTHER', 'PAID'));
    expect(await bridge.getPayment(payment.id)).toMatchObject({
      status: 'paid',
      externalId: 'T-OWN',
      amountPaid: 1500,
    });
    expect(events.filter((e) => e === 'payment.anomaly')).toHaveLength(2);
  });

  it('a refund of money this payment never recorded is refused', async () => {
    const { bridge } = setup({ backend: fakeBroker({ transactionIds: true }) });
    const payment = await start(bridge);
    await bridge.handler(await say(payment.id, 'T-OWN', 'PAID'));
    const anomalies: string[] = [];
    bridge.on('payment.anomaly', ({ anomaly }) => {
      anomalies.push(anomaly.code);
    });
    // A stranger's transaction refunded (or charged back): its money was never this payment's.
    await bridge.handler(await say(payment.id, 'T-STRANGER', 'REFUNDED'));
    expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(anomalies).toEqual(['OTHER_TRANSACTION']);
    await bridge.handler(await say(payment.id, 'T-OWN', 'REFUNDED'));
    expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'refunded', amountRefunded: 1500 });
  });
});
