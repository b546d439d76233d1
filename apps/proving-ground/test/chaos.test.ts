import type { Payment, PaymentStore, Transition } from '@paybridge/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BROKERS } from '../chaos/brokers';
import { type ChaosReport, checkChaos, formatReport } from '../chaos/checks';
import { messageKey } from '../chaos/faulty-store';
import { runChaosInProcess } from '../chaos/in-process';

describe('chaos run (fast in-process variant of `pnpm chaos`)', () => {
  it('32 payments per broker (PayPal, PayU, CM-CIC, Stripe, Przelewy24, Razorpay, Flutterwave) with every fault: nothing lost, nothing forged accepted', async () => {
    const payments = 32 * BROKERS.length;
    // A seed whose plan loses a final word of every broker and whose network forges to every one.
    const { report } = await runChaosInProcess({ payments, seed: 12 });
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.payments).toBe(payments);
    for (const broker of BROKERS) {
      expect(report.brokers[broker]?.payments, broker).toBe(32);
      expect(report.faults[`  payments whose final word was lost (${broker})`], broker).toBeGreaterThan(0);
      expect(report.faults[`  forged, to ${broker}'s notify route`], broker).toBeGreaterThan(0);
    }
    expect(formatReport(report)).toContain('CHAOS RUN PASSED');
    // Every kind of fault was really injected in this run (the plan is fixed by the seed; see harness.ts).
    for (const fault of [
      'duplicated (2–5 concurrent copies)',
      'reordered (first delivery lost)',
      'forged signatures/MACs',
      'tampered amounts/currencies (PayU, re-signed)',
      'tampered amounts/currencies (PayPal IPN)',
      'broker API errors',
      'store write failures (applying a fact)',
      'store write failures (logging a message)',
      'answered 5xx (broker retries)',
      'lost final notifications (the broker gave up)',
      'key-rotation window: PayU signed with a key not configured yet',
      'key-rotation window: Stripe signed with a secret not configured yet',
      'key-rotation window: PayPal IPNs failing verification',
      'key-rotation window: Przelewy24 signed with a CRC key not configured yet',
      'key-rotation window: Razorpay signed with a webhook secret not configured yet',
      'key-rotation window: Flutterwave with a secret hash not configured yet',
      'Flutterwave refunds made whose answer was lost (retried, adopted)',
    ]) {
      expect(report.faults[fault], fault).toBeGreaterThan(0);
    }
    // ONE reconcile pass after the run recovered the lost payments of every broker that can pull
    // (issue 15); CM-CIC's stay new (no status inquiry), which its expected statuses say.
    expect(report.reconcile.failed).toBe(0);
    expect(report.reconcile.changed).toBeGreaterThan(0);
    expect(report.brokers.cmcic?.pulls).toBe(false);
    expect(formatReport(report)).toContain('cannot be pulled');
    // Refunds end refunded: Razorpay's refund.processed and Flutterwave's polled refunds were applied.
    expect(report.brokers.razorpay?.statuses.refunded).toBeGreaterThan(0);
    expect(report.brokers.flutterwave?.statuses.refunded).toBeGreaterThan(0);
    // An unpaid Razorpay link ends expired (Razorpay's final word for it).
    expect(report.brokers.razorpay?.statuses.expired).toBeGreaterThan(0);
  }, 90_000);
});

describe('the chaos checks catch every bad outcome', () => {
  let inputs: Parameters<typeof checkChaos>[0];
  let paid: Payment;
  beforeAll(async () => {
    ({ inputs } = await runChaosInProcess({ payments: 30, seed: 98 }));
    expect((await checkChaos(inputs)).ok).toBe(true);
    const scenario = inputs.scenarios.find((s) => s.kind === 'pay');
    paid = (await inputs.store.getPayment(scenario?.paymentId ?? '')) as Payment;
    expect(paid.status).toBe('paid');
  }, 60_000);

  const failsWith = (report: ChaosReport, field: keyof ChaosReport) => {
    expect(report.ok).toBe(false);
    expect(formatReport(report)).toContain('CHAOS RUN FAILED');
    const value = report[field];
    expect(Array.isArray(value) ? value.length : value).toBeGreaterThan(0);
  };

  /** The same store, with one method changed (a store that broke a promise). */
  const storeWith = (override: Partial<PaymentStore>): PaymentStore =>
    new Proxy(inputs.store, {
      get: (target, property) =>
        property in override
          ? override[property as keyof PaymentStore]
          : (Reflect.get(target, property) as (...args: unknown[]) => unknown).bind(target),
    });

  it('a payment not where the broker left it', async () => {
    const report = await checkChaos({
      ...inputs,
      scenarios: inputs.scenarios.map((s) =>
        s.paymentId === paid.id ? { ...s, kind: 'decline' as const } : s,
      ),
    });
    failsWith(report, 'wrongStatus');
    expect(report.wrongStatus).toEqual([
      expect.objectContaining({ paymentId: paid.id, expected: 'failed', actual: 'paid' }),
    ]);
  });

  it('a forged message logged as verified', async () => {
    // A genuine message the log has as verified (some answered 200 were refused: PayPal's INVALID).
    const verified = new Set(
      (await inputs.store.listMessages({ direction: 'inbound', limit: 500 })).items
        .filter((m) => m.verdict === 'verified')
        .map(messageKey),
    );
    const genuine = inputs.records.find((r) => !r.forged && r.status === 200 && verified.has(r.key));
    expect(genuine).toBeDefined();
    const report = await checkChaos({
      ...inputs,
      records: [...inputs.records, { key: genuine?.key ?? '', status: 200, forged: true }],
    });
    failsWith(report, 'forgedAccepted');
  });

  it('a tampered payment whose ledger took the tampered money', async () => {
    const store = storeWith({
      getPayment: async (id: string) => {
        const payment = await inputs.store.getPayment(id);
        return payment && id === paid.id ? { ...payment, amountPaid: payment.amount - 100 } : payment;
      },
    });
    const report = await checkChaos({
      ...inputs,
      store,
      scenarios: inputs.scenarios.map((s) =>
        s.paymentId === paid.id ? { ...s, kind: 'tamper' as const } : s,
      ),
    });
    failsWith(report, 'tamperedPaid');
  });

  it('a pull that failed in the one reconcile pass', async () => {
    const report = await checkChaos({
      ...inputs,
      reconcile: {
        ...inputs.reconcile,
        failed: [{ paymentId: paid.id, backend: 'payu', code: 'BROKER_UNAVAILABLE', message: 'down' }],
      },
    });
    expect(report.ok).toBe(false);
    expect(report.reconcile.failed).toBe(1);
  });

  it('the same broker event applied twice', async () => {
    const store = storeWith({
      listTransitions: async (id: string): Promise<Transition[]> => {
        const transitions = await inputs.store.listTransitions(id);
        const withEvent = transitions.find((t) => t.eventId !== null);
        return id === paid.id && withEvent
          ? [...transitions, { ...withEvent, id: 'trn_again' }]
          : transitions;
      },
    });
    failsWith(await checkChaos({ ...inputs, store }), 'duplicateTransitions');
  });

  it('a ledger that does not add up', async () => {
    const store = storeWith({
      getPayment: async (id: string) => {
        const payment = await inputs.store.getPayment(id);
        return payment && id === paid.id ? { ...payment, amountPaid: payment.amountPaid + 1 } : payment;
      },
    });
    failsWith(await checkChaos({ ...inputs, store }), 'invariantViolations');
  });

  it('payment.accepted emitted twice, or never, for a paid payment', async () => {
    const accepted = inputs.journal.find(
      (e) => e.type === 'event' && e.event === 'payment.accepted' && e.paymentId === paid.id,
    );
    expect(accepted).toBeDefined();
    const twice = await checkChaos({ ...inputs, journal: [...inputs.journal, accepted!] });
    failsWith(twice, 'acceptedEventMismatches');
    expect(twice.acceptedEventMismatches).toEqual([{ paymentId: paid.id, emitted: 2, expected: 1 }]);
    const never = await checkChaos({ ...inputs, journal: inputs.journal.filter((e) => e !== accepted) });
    expect(never.acceptedEventMismatches).toEqual([{ paymentId: paid.id, emitted: 0, expected: 1 }]);
  });

  it('an answered message missing from the gateway log (only an injected log failure answered 503 is excused)', async () => {
    const key = Buffer.from('never logged').toString('base64');
    failsWith(
      await checkChaos({ ...inputs, records: [...inputs.records, { key, status: 200, forged: false }] }),
      'missingFromLog',
    );
    const excused = {
      ...inputs,
      records: [...inputs.records, { key, status: 503, forged: false }],
      journal: [...inputs.journal, { type: 'fault' as const, fault: 'log-write' as const, detail: key }],
    };
    expect((await checkChaos(excused)).ok).toBe(true);
    const answered = { ...excused, records: [...inputs.records, { key, status: 200, forged: false }] };
    failsWith(await checkChaos(answered), 'missingFromLog');
  });

  it('a broker message never acknowledged', async () => {
    const report = await checkChaos({
      ...inputs,
      unacknowledged: [{ broker: 'cmcic', label: 'retour:paiement' }],
    });
    failsWith(report, 'unacknowledged');
  });
});
