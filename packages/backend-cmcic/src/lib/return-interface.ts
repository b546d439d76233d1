import type { AckResponse, Anomaly, NotificationOutcome, PaymentFact } from '@paybridge/core';
import { binaryToBytes, binaryToText, bytesToBinary, parseForm } from './form-body';
import { parseMontant } from './format';
import { LEGACY_RETURN_MAC_FIELDS, type MacScheme, macEquals, macOfBytes, macSource } from './mac';
import { describeReturn, parseCodeRetour } from './return-data';

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
}

export interface ReturnInput {
  method: string;
  url: string;
  body: Uint8Array;
  testMode: boolean;
  findPaymentByExternalId(
    reference: string,
  ): Promise<{ id: string; amountPaid: number; brokerData: Record<string, unknown> } | null>;
}

const reject = (
  code: Anomaly['code'],
  message: string,
  ack: AckResponse,
  paymentId?: string,
): NotificationOutcome => ({ verdict: 'rejected', code, message, ack, ...(paymentId ? { paymentId } : {}) });

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
  const montantech = fields.montantech ? parseMontant(fields.montantech) : null;
  if (!code || !reference || !montant || (fields.montantech && !montantech)) {
    return reject(
      'MALFORMED_NOTIFICATION',
      `unexpected return: code-retour "${codeText}", reference "${reference}", montant "${fields.montant ?? ''}"`,
      ACK_MAC_NOT_OK,
    );
  }
  if (code.instalment !== null && !montantech) {
    return reject('MALFORMED_NOTIFICATION', `${codeText} without montantech`, ACK_MAC_NOT_OK);
  }

  const payment = await input.findPaymentByExternalId(reference);
  // Sealed by the bank, so acknowledged (cdr=0): another system may share the terminal, and a
  // cdr=1 would only make the bank alert and call again.
  if (!payment) return reject('UNKNOWN_PAYMENT', `no payment with reference ${reference}`, ACK_MAC_OK);

  // One event per attempt: a duplicate call is a no-op, while a retry after a refusal (new date,
  // new code) is a new event the core may apply after an earlier failure.
  const eventId = [reference, codeText.toLowerCase(), fields.date ?? '', fields.montantech ?? '']
    .filter((part, index) => index < 3 || part !== '')
    .join(':');
  const unauthenticated =
    config.macScheme === 'legacy'
      ? Object.keys(fields).filter((name) => name !== 'MAC' && !LEGACY_RETURN_MAC_FIELDS.includes(name))
      : [];
  const data = describeReturn(fields, requestAlias(payment.brokerData), unauthenticated);
  // A refusal that reaches us after the payment was already made (calls are not ordered) is kept
  // apart, so that `brokerData.cmcic` keeps describing the attempt that paid.
  const dataKey = code.kind === 'refused' && payment.amountPaid > 0 ? 'cmcicLateRefusal' : 'cmcic';
  const facts: PaymentFact[] = [
    { type: 'broker_data', eventId: `${eventId}:data`, data: { [dataKey]: data } },
  ];
  const anomalies: Anomaly[] = [];

  if (code.kind === 'refused') {
    const why = [
      data.refusalReason,
      data.authorisationRefusal,
      ...(data.fraud?.hits.map((hit) => hit.cause) ?? []),
    ]
      .filter(Boolean)
      .join(', ');
    const what = code.instalment === null ? 'payment refused' : `instalment ${code.instalment} refused`;
    facts.push({ type: 'failed', eventId, reason: why ? `${what}: ${why}` : what });
  } else if (code.test && !input.testMode) {
    // payetest comes from the bank's test platform: it never pays a live payment.
    anomalies.push({
      code: 'ENVIRONMENT_MISMATCH',
      message: 'payetest (test platform) return received in live mode',
      paymentId: payment.id,
      eventId,
      details: { reference, codeRetour: codeText },
    });
  } else if (montantech) {
    // Split payment: the first instalment comes as paiement/payetest with montantech, the next
    // ones as paiement_pfN (protocols/cmcic.md §5.3).
    const instalment = code.instalment ?? 1;
    facts.push({
      type: 'captured',
      eventId,
      captureId: `${reference}:${instalment}`,
      amount: montantech.amount,
      currency: montantech.currency,
      partial: true,
    });
  } else {
    facts.push({
      type: 'captured',
      eventId,
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
