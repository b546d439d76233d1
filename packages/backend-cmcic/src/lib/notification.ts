import type {
  AckResponse,
  Anomaly,
  InboundMessage,
  NotificationContext,
  NotificationOutcome,
} from '@paybridge/core';
import { type FactsConfig, returnFacts, type SealedReturn } from './facts';
import { binaryToBytes, binaryToText, bytesToBinary, parseForm } from './form-body';
import { parseMontant } from './format';
import { LEGACY_RETURN_MAC_FIELDS, type MacScheme, macEquals, macOfBytes, macSource } from './mac';
import { parseCodeRetour } from './return-data';

/**
 * Acknowledgements of the return interface (protocols/cmcic.md §4.4; kit CMCIC_CGI2_RECEIPT,
 * PierrickP/cmcic#9): `cdr=0` for every message whose MAC is valid — refusals included — and
 * `cdr=1` only when it is not. Anything else (`OK`, an empty body, a business-based `cdr`) makes
 * the bank e-mail an alert and call again.
 */
const ackHeaders = { 'content-type': 'text/plain', 'cache-control': 'no-store', pragma: 'no-cache' };
export const ACK_MAC_OK: AckResponse = { status: 200, headers: ackHeaders, body: 'version=2\ncdr=0\n' };
export const ACK_MAC_NOT_OK: AckResponse = { status: 200, headers: ackHeaders, body: 'version=2\ncdr=1\n' };

export interface NotificationConfig {
  tpe: string;
  keyBytes: Uint8Array;
  macScheme: MacScheme;
  /** Deferred or partial terminal: an accepted return means authorised, not collected (cmcic-api.md §1). */
  authorizeOnly: boolean;
}

const reject = (
  code: Anomaly['code'],
  message: string,
  ack: AckResponse,
  paymentId?: string,
): NotificationOutcome => ({ verdict: 'rejected', code, message, ack, ...(paymentId ? { paymentId } : {}) });

// Split-payment fields of a return (montantech) or of a request echoed back (nbrech, dateechN, montantechN).
const INSTALMENT_FIELD = /^(montantech[1-4]?|dateech[1-4]|nbrech)$/i;

/** The fields of one return interface call ("CGI2"), once its MAC and terminal are checked. */
async function verifiedFields(
  message: Pick<InboundMessage, 'method' | 'url' | 'body'>,
  config: NotificationConfig,
): Promise<Record<string, string> | NotificationOutcome> {
  // The bank POSTs a form; its alert e-mails offer a GET replay link with the same fields (the kits
  // accept both).
  const raw =
    message.method.toUpperCase() === 'GET'
      ? new URL(message.url).search.slice(1)
      : bytesToBinary(message.body);
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
  return fields;
}

/** The sealed return's code, reference and amount, or why it cannot be read. */
function parseReturn(fields: Record<string, string>, scheme: MacScheme): SealedReturn | NotificationOutcome {
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
  const unauthenticated =
    scheme === 'legacy'
      ? Object.keys(fields).filter((name) => name !== 'MAC' && !LEGACY_RETURN_MAC_FIELDS.includes(name))
      : [];
  return { fields, code, codeText, reference, montant, unauthenticated };
}

const isOutcome = <T extends object>(value: T | NotificationOutcome): value is NotificationOutcome =>
  'verdict' in value;

/** Verify one call of the return interface, find its payment, and turn it into facts (`facts.ts`). */
export async function handleCmcicNotification(
  message: Pick<InboundMessage, 'method' | 'url' | 'body'>,
  ctx: Pick<NotificationContext, 'testMode' | 'findPaymentByExternalId'>,
  config: NotificationConfig,
): Promise<NotificationOutcome> {
  const fields = await verifiedFields(message, config);
  if (isOutcome(fields)) return fields;
  const sealed = parseReturn(fields, config.macScheme);
  if (isOutcome(sealed)) return sealed;
  const { code, codeText, reference } = sealed;

  const payment = await ctx.findPaymentByExternalId(reference);
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

  const factsConfig: FactsConfig = { authorizeOnly: config.authorizeOnly, testMode: ctx.testMode };
  const { facts, anomalies } = returnFacts(sealed, payment, factsConfig);
  return {
    verdict: 'verified',
    updates: [{ paymentId: payment.id, facts }],
    ...(anomalies.length ? { anomalies } : {}),
    ack: ACK_MAC_OK,
  };
}
