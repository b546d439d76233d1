import type { Anomaly, Payment, PaymentFact } from '@paybridge/core';
import { type CmcicReturnData, type CodeRetour, describeReturn } from './return-data';

/** A return whose MAC, terminal and required fields were checked (`notification.ts`). */
export interface SealedReturn {
  fields: Record<string, string>;
  code: CodeRetour;
  /** `code-retour` as received. */
  codeText: string;
  reference: string;
  montant: { amount: number; currency: string };
  /** Fields outside the MAC in the scheme in use (legacy only): reported, never trusted. */
  unauthenticated: string[];
}

export interface FactsConfig {
  /** Deferred or partial terminal: an accepted return means authorised, not collected (cmcic-api.md §1). */
  authorizeOnly: boolean;
  /** The bridge's mode: a `payetest` return never pays a live payment. */
  testMode: boolean;
}

type ReturnedPayment = Pick<Payment, 'id' | 'amountPaid' | 'amountAuthorized' | 'brokerData'>;

/**
 * The reason of a refused attempt, from sealed fields only: in the legacy scheme the finer refusal
 * reason and the fraud fields are outside the MAC, so they stay in the broker data (flagged as
 * unauthenticated) but never reach the payment's status history.
 */
function refusalReason(data: CmcicReturnData, unauthenticated: readonly string[]): string {
  const sealed = (name: string) => !unauthenticated.includes(name);
  const why = [
    data.refusalReason,
    sealed('motifrefusautorisation') ? data.authorisationRefusal : null,
    ...(sealed('filtragecause') ? (data.fraud?.hits.map((hit) => hit.cause) ?? []) : []),
  ]
    .filter(Boolean)
    .join(', ');
  return why ? `payment refused: ${why}` : 'payment refused';
}

function requestAlias(brokerData: Record<string, unknown>): string | null {
  const request = brokerData.cmcicRequest;
  if (typeof request !== 'object' || request === null) return null;
  const alias = (request as { alias?: unknown }).alias;
  return typeof alias === 'string' ? alias : null;
}

/** One sealed return of the payment's reference → its facts (and an anomaly for a misplaced payetest). */
export function returnFacts(
  sealed: SealedReturn,
  payment: ReturnedPayment,
  config: FactsConfig,
): { facts: PaymentFact[]; anomalies: Anomaly[] } {
  const { fields, code, codeText, reference, montant, unauthenticated } = sealed;
  // Only what the MAC covers in the scheme in use decides money and identity: the amount is
  // `montant`, and the event id is made of sealed fields (reference, code-retour, date) — one per
  // call, so a duplicate call is a no-op.
  const eventId = `${reference}:${codeText.toLowerCase()}:${fields.date ?? ''}`;
  // Binding (DESIGN §6): the transaction a return is about is one card attempt — the buyer has up
  // to 4 per reference within 45 minutes, each with its own authorisation time `date` (§4.1, §7).
  // The payment's `externalId` is the reference itself, so every attempt is "another transaction"
  // to the core: a refused attempt never ends the payment (the bank may still accept a later one
  // for the same reference; the refusal stays in the broker data and the message log), while an
  // accepted one is money in and always recorded.
  const attempt = `${reference}@${fields.date ?? ''}`;
  const data = describeReturn(fields, requestAlias(payment.brokerData), unauthenticated);
  // A refusal that reaches us after the payment was already made (calls are not ordered) is kept
  // apart, so that `brokerData.cmcic` keeps describing the attempt that paid.
  const settled = payment.amountPaid > 0 || payment.amountAuthorized > 0;
  const dataKey = code.kind === 'refused' && settled ? 'cmcicLateRefusal' : 'cmcic';
  const facts: PaymentFact[] = [
    { type: 'broker_data', eventId: `${eventId}:data`, data: { [dataKey]: data } },
  ];
  const anomalies: Anomaly[] = [];

  if (code.kind === 'refused') {
    facts.push({
      type: 'failed',
      eventId,
      transactionId: attempt,
      reason: refusalReason(data, unauthenticated),
    });
  } else if (code.test && !config.testMode) {
    // payetest comes from the bank's test platform: it never pays a live payment.
    anomalies.push({
      code: 'ENVIRONMENT_MISMATCH',
      message: 'payetest (test platform) return received in live mode',
      paymentId: payment.id,
      eventId,
      details: { reference, codeRetour: codeText },
    });
  } else if (config.authorizeOnly) {
    // The capture API acts on the reference, so the authorisation is the reference's: the one
    // transaction `bridge.capture`/`bridge.cancel` will act on (binding).
    facts.push({
      type: 'authorized',
      eventId,
      transactionId: reference,
      amount: montant.amount,
      currency: montant.currency,
    });
  } else {
    facts.push({
      type: 'captured',
      eventId,
      transactionId: attempt,
      captureId: reference,
      amount: montant.amount,
      currency: montant.currency,
    });
  }
  return { facts, anomalies };
}
