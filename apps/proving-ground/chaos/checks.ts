import type { GatewayMessage, PaymentStore, ReconcileResult } from '@paybridge/core';
import { checkInvariants } from '@paybridge/core/status-machine';
import type { DeliveryRecord, TransportCounts } from './chaos-transport';
import { messageKey } from './faulty-store';
import type { JournalEntry } from './journal';
import { expectedStatuses, PULLS, type Scenario } from './scenarios';

/** Per broker: payments driven, their final statuses, and how many lost their final word. */
export interface BrokerSummary {
  payments: number;
  lost: number;
  pulls: boolean;
  statuses: Record<string, number>;
}

export interface ChaosReport {
  payments: number;
  wrongStatus: Array<{ paymentId: string; broker: string; kind: string; expected: string; actual: string }>;
  forgedAccepted: number;
  tamperedPaid: number;
  duplicateTransitions: number;
  invariantViolations: number;
  acceptedEventMismatches: Array<{ paymentId: string; emitted: number; expected: number }>;
  missingFromLog: number;
  /** Genuine broker messages never acknowledged: the broker gave up (or was still retrying at the end). */
  unacknowledged: number;
  /** The one reconcile pass after the run; a failed pull is a failure of the run. */
  reconcile: Pick<ReconcileResult, 'pulled' | 'changed' | 'unchanged' | 'skippedNotPullable'> & {
    failed: number;
  };
  brokers: Record<string, BrokerSummary>;
  faults: Record<string, number>;
  ok: boolean;
}

async function allInbound(store: PaymentStore): Promise<GatewayMessage[]> {
  const messages: GatewayMessage[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const result = await store.listMessages({
      direction: 'inbound',
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    messages.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return messages;
}

/** Reads the store after the run and checks every promise of issue 9. */
export async function checkChaos(input: {
  store: PaymentStore;
  scenarios: readonly Scenario[];
  records: readonly DeliveryRecord[];
  journal: readonly JournalEntry[];
  transportCounts: TransportCounts;
  /** The brokers' server-to-server calls the merchant never acknowledged (`gave-up` or still `scheduled`). */
  unacknowledged: ReadonlyArray<{ broker: string; label: string }>;
  reconcile: ReconcileResult;
  extraFaults?: Record<string, number>;
}): Promise<ChaosReport> {
  const { store, scenarios } = input;
  const wrongStatus: ChaosReport['wrongStatus'] = [];
  const acceptedEventMismatches: ChaosReport['acceptedEventMismatches'] = [];
  let tamperedPaid = 0;
  let duplicateTransitions = 0;
  let invariantViolations = 0;

  const accepted = new Map<string, number>();
  for (const entry of input.journal) {
    if (entry.type === 'event' && entry.event === 'payment.accepted' && entry.paymentId) {
      accepted.set(entry.paymentId, (accepted.get(entry.paymentId) ?? 0) + 1);
    }
  }

  const brokers: Record<string, BrokerSummary> = {};
  for (const scenario of scenarios) {
    const payment = await store.getPayment(scenario.paymentId);
    const summary = brokers[scenario.broker] ?? {
      payments: 0,
      lost: 0,
      pulls: PULLS[scenario.broker],
      statuses: {},
    };
    brokers[scenario.broker] = summary;
    summary.payments++;
    if (scenario.lost) summary.lost++;
    const status = payment?.status ?? 'missing';
    summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
    if (!payment) {
      wrongStatus.push({ ...describe(scenario), expected: 'a payment', actual: 'missing' });
      continue;
    }
    const expected = expectedStatuses(scenario);
    // Tampered money counted: the ledger holds other money than the buyer paid.
    if (scenario.kind === 'tamper' && payment.amountPaid > 0 && payment.amountPaid !== payment.amount)
      tamperedPaid++;
    if (!expected.includes(payment.status)) {
      wrongStatus.push({ ...describe(scenario), expected: expected.join(' or '), actual: payment.status });
    }
    invariantViolations += checkInvariants(payment).length;

    const seen = new Set<string>();
    for (const transition of await store.listTransitions(payment.id)) {
      if (transition.eventId === null) continue;
      if (seen.has(transition.eventId)) duplicateTransitions++;
      seen.add(transition.eventId);
    }
    // A refunded payment was paid first: `payment.accepted` once for both.
    const wasPaid = payment.amountPaid > 0;
    const emitted = accepted.get(payment.id) ?? 0;
    if (emitted !== (wasPaid ? 1 : 0)) {
      acceptedEventMismatches.push({ paymentId: payment.id, emitted, expected: wasPaid ? 1 : 0 });
    }
  }

  const inbound = await allInbound(store);
  const logged = new Map<string, GatewayMessage[]>();
  for (const message of inbound) {
    const key = messageKey(message);
    logged.set(key, [...(logged.get(key) ?? []), message]);
  }
  const faultsOf = (fault: string) =>
    input.journal.filter(
      (e): e is Extract<JournalEntry, { type: 'fault' }> => e.type === 'fault' && e.fault === fault,
    );
  // A message whose log write was the injected failure was answered 503 and is not in the log (the
  // broker's retry of the same bytes is): only those are excused.
  const logFailed = new Set(faultsOf('log-write').map((e) => e.detail));
  let forgedAccepted = 0;
  let missingFromLog = 0;
  for (const record of input.records) {
    if (record.status === null) continue;
    const entries = logged.get(record.key);
    if (!entries) {
      if (!(record.status === 503 && logFailed.has(record.key))) missingFromLog++;
    } else if (record.forged && entries.some((message) => message.verdict === 'verified')) forgedAccepted++;
  }

  const counts = input.transportCounts;
  const faults = {
    notifications: counts.notifications,
    'duplicated (2–5 concurrent copies)': counts.duplicated,
    'extra copies delivered': counts.extraCopies,
    'reordered (first delivery lost)': counts.reordered,
    'forged signatures/MACs': counts.forged,
    ...Object.fromEntries(
      Object.entries(counts.forgedBy).map(([broker, n]) => [`  forged, to ${broker}'s notify route`, n]),
    ),
    'tampered amounts/currencies (PayU, re-signed)': counts.tampered,
    'key-rotation window: PayU signed with a key not configured yet': counts.rotatedKey.payu,
    'key-rotation window: Stripe signed with a secret not configured yet': counts.rotatedKey.stripe,
    'key-rotation window: PayPal IPNs failing verification': counts.rotatedKey.paypal,
    'key-rotation window: Przelewy24 signed with a CRC key not configured yet': counts.rotatedKey.przelewy24,
    'key-rotation window: Razorpay signed with a webhook secret not configured yet':
      counts.rotatedKey.razorpay,
    'key-rotation window: Flutterwave with a secret hash not configured yet': counts.rotatedKey.flutterwave,
    'tampered amounts/currencies (PayPal IPN)': scenarios.filter(
      (s) => s.kind === 'tamper' && s.broker === 'paypal',
    ).length,
    'broker API errors': faultsOf('broker-api').length,
    'store write failures (applying a fact)': faultsOf('store-write').length,
    'store write failures (logging a message)': faultsOf('log-write').length,
    'store write failures (creating a payment)': faultsOf('create-write').length,
    'deliveries to a dead merchant': counts.unreachable,
    'answered 5xx (broker retries)': counts.answered5xx,
    ...input.extraFaults,
  };
  const unacknowledged = input.unacknowledged.length;
  const reconcile = {
    pulled: input.reconcile.pulled,
    changed: input.reconcile.changed,
    unchanged: input.reconcile.unchanged,
    skippedNotPullable: input.reconcile.skippedNotPullable,
    failed: input.reconcile.failed.length,
  };
  const ok =
    reconcile.failed === 0 &&
    wrongStatus.length === 0 &&
    forgedAccepted === 0 &&
    tamperedPaid === 0 &&
    duplicateTransitions === 0 &&
    invariantViolations === 0 &&
    acceptedEventMismatches.length === 0 &&
    missingFromLog === 0 &&
    unacknowledged === 0;
  return {
    payments: scenarios.length,
    wrongStatus,
    forgedAccepted,
    tamperedPaid,
    duplicateTransitions,
    invariantViolations,
    acceptedEventMismatches,
    missingFromLog,
    unacknowledged,
    reconcile,
    brokers,
    faults,
    ok,
  };
}

function describe(scenario: Scenario) {
  return { paymentId: scenario.paymentId, broker: scenario.broker, kind: scenario.kind };
}

export function formatReport(report: ChaosReport): string {
  const line = (label: string, value: number | string, good: boolean) =>
    `${good ? 'ok  ' : 'FAIL'} ${label.padEnd(58)} ${value}`;
  const lines = [
    `chaos run: ${report.payments} payments`,
    line(
      'legitimate payments in the wrong final status',
      report.wrongStatus.length,
      report.wrongStatus.length === 0,
    ),
    line('forged messages accepted', report.forgedAccepted, report.forgedAccepted === 0),
    line(
      'tampered payments whose ledger took the tampered money',
      report.tamperedPaid,
      report.tamperedPaid === 0,
    ),
    line(
      'duplicate transitions (same fact applied twice)',
      report.duplicateTransitions,
      report.duplicateTransitions === 0,
    ),
    line('ledger invariant violations', report.invariantViolations, report.invariantViolations === 0),
    line(
      'payments whose payment.accepted count is not exactly once',
      report.acceptedEventMismatches.length,
      report.acceptedEventMismatches.length === 0,
    ),
    line('inbound messages missing from the gateway log', report.missingFromLog, report.missingFromLog === 0),
    line(
      'broker messages never acknowledged (the broker gave up)',
      report.unacknowledged,
      report.unacknowledged === 0,
    ),
    line(
      'pulls that failed in the one reconcile pass after the run',
      report.reconcile.failed,
      report.reconcile.failed === 0,
    ),
    `     reconcile pass: ${report.reconcile.pulled} pulled, ${report.reconcile.changed} changed, ${report.reconcile.unchanged} unchanged, ${report.reconcile.skippedNotPullable} not pullable`,
    'per broker (final statuses):',
    ...Object.entries(report.brokers).map(
      ([broker, b]) =>
        `     ${broker.padEnd(11)} ${String(b.payments).padStart(5)} payments, ${b.lost} lost final words; ${Object.entries(
          b.statuses,
        )
          .map(([status, count]) => `${status} ${count}`)
          .join(
            ', ',
          )}${b.pulls ? '' : " (cannot be pulled: no status inquiry; its lost payments stay new, see the bank's back office)"}`,
    ),
    'faults injected (all survived when every line above is ok):',
    ...Object.entries(report.faults).map(([name, count]) => `     ${name.padEnd(58)} ${count}`),
    ...report.wrongStatus
      .slice(0, 10)
      .map((w) => `     wrong: ${w.broker}/${w.kind} ${w.paymentId} expected ${w.expected}, is ${w.actual}`),
    ...report.acceptedEventMismatches
      .slice(0, 10)
      .map((m) => `     payment.accepted ${m.paymentId}: emitted ${m.emitted}, expected ${m.expected}`),
    report.ok ? 'CHAOS RUN PASSED' : 'CHAOS RUN FAILED',
  ];
  return lines.join('\n');
}
