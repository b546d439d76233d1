import type { AckResponse, Anomaly, NotificationOutcome, PaymentFact } from '@paybridge/core';
import { binaryToBytes, binaryToText, bytesToBinary, parseForm } from './form-body';
import { parseMontant } from './format';
import { LEGACY_RETURN_MAC_FIELDS, type MacScheme, macEquals, macOfBytes, macSource } from './mac';
import { type CmcicReturnData, describeReturn, parseCodeRetour } from './return-data';

/**
 * Acknowledgements of the return interface (protocols/cmcic.md §4.4; kit CMCIC_CGI2_RECEIPT,
 * PierrickP/cmcic#9): `cdr=0` for every message whose MAC is valid — refusals included — and
 * `cdr=1` only when it is not. Anything else (`OK`, an empty body, a business-based `cdr`) makes
 * the bank e-mail an alert and call again.
 */
const ackHeaders = { 'content-type': 'text/plain', 'cache-control': 'no-store', pragma: 'no-cache' };
export const ACK_MAC_OK: AckResponse = { status: 200, headers: ackHeaders, body: 'version=2\ncdr=0\n' };
export const ACK_MAC_NOT_OK: AckResponse = { status: 200, headers: ackHeaders, body: 'version=2\ncdr=1\n' };

export interface ReturnInterfaceConfig {
  tpe: string;
  keyBytes: Uint8Array;
  macScheme: MacScheme;
  /** Deferred or partial terminal: an accepted return means authorised, not collected (cmcic-api.md §1). */
  authorizeOnly?: boolean;
}

export interface ReturnInput {
  method: string;
  url: string;
  body: Uint8Array;
  testMode: boolean;
  findPaymentByExternalId(reference: string): Promise<{
    id: string;
    amountPaid: number;
    amountAuthorized: number;
    brokerData: Record<string, unknown>;
  } | null>;
}

const reject = (
  code: Anomaly['code'],
  message: string,
  ack: AckResponse,
  paymentId?: string,
): NotificationOutcome => ({ verdict: 'rejected', code, message, ack, ...(paymentId ? { paymentId } : {}) });

// Split-payment fields of a return (montantech) or of a request echoed back (nbrech, dateechN, montantechN).
const INSTALMENT_FIELD = /^(montantech[1-4]?|dateech[1-4]|nbrech)$/i;

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

/** Verify one call of the return interface ("CGI2") and turn it into facts. */
export async function handleReturnInterface(
  config: ReturnInterfaceConfig,
  input: ReturnInput,
): Promise<NotificationOutcome> {
  // The bank POSTs a form; its alert e-mails offer a GET replay link with the same fields (the kits
  // accept both).
  const raw =
    input.method.toUpperCase() === 'GET' ? new URL(input.url).search.slice(1) : bytesToBinary(input.body);
  const { fields: binaryFields, duplicates } = parseForm(raw);
  if (duplicates.length > 0) {
    return reject('MALFORMED_NOTIFICATION', `duplicated fields: ${duplicates.join(', ')}`, ACK_MAC_NOT_OK);
  }
  const received = binaryFields.MAC;
  if (received === undefined) return reject('INVALID_SIGNATURE', 'the return carries no MAC', ACK_MAC_NOT_OK);
  // Every received field except MAC (current scheme) — never a whitelist, so fields the bank adds
  // later (motifrefusautorisation, 2022) keep verifying. The source is hashed as the exact bytes received.
  const source = macSource(binaryFields, config.macScheme, 'return');
  const expected = await macOfBytes(config.keyBytes, binaryToBytes(source));
  if (!macEquals(expected, received)) {
    return reject('INVALID_SIGNATURE', 'the MAC of the return is not valid', ACK_MAC_NOT_OK);
  }

  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(binaryFields)) fields[binaryToText(name)] = binaryToText(value);
  if (fields.TPE !== config.tpe) {
    return reject(
      'RECEIVER_MISMATCH',
      `the return is for another terminal (${fields.TPE ?? 'none'})`,
      ACK_MAC_NOT_OK,
    );
  }
  const codeText = fields['code-retour'] ?? '';
  const code = parseCodeRetour(codeText);
  const reference = fields.reference ?? '';
  const montant = parseMontant(fields.montant ?? '');
  if (!code || !reference || !montant) {
    return reject(
      'MALFORMED_NOTIFICATION',
      `unexpected return: code-retour "${codeText}", reference "${reference}", montant "${fields.montant ?? ''}"`,
      ACK_MAC_NOT_OK,
    );
  }

  const payment = await input.findPaymentByExternalId(reference);
  // Sealed by the bank, so acknowledged (cdr=0): another system may share the terminal, and a
  // cdr=1 would only make the bank alert and call again.
  if (!payment) return reject('UNKNOWN_PAYMENT', `no payment with reference ${reference}`, ACK_MAC_OK);

  // paybridge never sends a split schedule (nbrech), so no payment asked for instalments: a return
  // carrying instalment fields is about something this payment did not request. In the legacy
  // scheme `montantech` is not even sealed (§3.4), and it would otherwise set the amount and the
  // event id. Refused whatever the scheme, with an anomaly; acknowledged, since the MAC is valid.
  const instalmentFields = Object.keys(fields).filter((name) => INSTALMENT_FIELD.test(name));
  if (code.instalment !== null || instalmentFields.length > 0) {
    const what = [...(code.instalment !== null ? [`code-retour ${codeText}`] : []), ...instalmentFields];
    return reject(
      'IMPOSSIBLE_FACT',
      `instalment return (${what.join(', ')}) for a payment that did not request instalments`,
      ACK_MAC_OK,
      payment.id,
    );
  }

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
  const unauthenticated =
    config.macScheme === 'legacy'
      ? Object.keys(fields).filter((name) => name !== 'MAC' && !LEGACY_RETURN_MAC_FIELDS.includes(name))
      : [];
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
  } else if (code.test && !input.testMode) {
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
  return {
    verdict: 'verified',
    updates: [{ paymentId: payment.id, facts }],
    ...(anomalies.length ? { anomalies } : {}),
    ack: ACK_MAC_OK,
  };
}
