import { PaybridgeError } from '@paybridge/core';
import { utf8 } from '@paybridge/core/kit';
import { type MacScheme, macOfBytes } from './mac';

/**
 * The bank's server-to-server interfaces (protocols/cmcic-api.md): `capture_paiement.cgi` collects
 * an authorised payment (fully, or partly on a "partial" terminal) or cancels what is left, and
 * `recredit_paiement.cgi` refunds ("recrédit"). Each request is sealed with the terminal's key in
 * its MAC scheme; the answers are `key=value` lines, not sealed (the bank's TLS endpoint).
 */
export type BankCall = 'capture' | 'recredit';

// Doc v3.0 §2.2.2 / §4.2.2: values in a fixed order, the amounts glued without a separator, and a
// trailing `*`; `date_commande`, `montant` (and the refund's dates and authorisation) are not sealed.
const LEGACY_AMOUNTS: Record<BankCall, readonly string[]> = {
  capture: ['montant_a_capturer', 'montant_deja_capture', 'montant_restant'],
  recredit: ['montant_recredit', 'montant_possible'],
};

export function bankMacSource(call: BankCall, fields: Readonly<Record<string, string>>, scheme: MacScheme) {
  if (scheme === 'current') {
    return Object.keys(fields)
      .filter((name) => name !== 'MAC')
      .sort()
      .map((name) => `${name}=${fields[name]}`)
      .join('*');
  }
  const amounts = LEGACY_AMOUNTS[call].map((name) => fields[name] ?? '').join('');
  const rest = ['reference', 'texte-libre', 'version', 'lgue', 'societe'].map((name) => fields[name] ?? '');
  return `${[fields.TPE ?? '', fields.date ?? '', amounts, ...rest].join('*')}*`;
}

/** The fields with their MAC (lower-case hex over the UTF-8 source), ready to be form-encoded. */
export async function sealBankRequest(
  call: BankCall,
  key: Uint8Array,
  scheme: MacScheme,
  fields: Record<string, string>,
): Promise<Record<string, string>> {
  return { ...fields, MAC: await macOfBytes(key, utf8(bankMacSource(call, fields, scheme))) };
}

/** `key=value` lines (LF, CR tolerated, no final LF needed); unknown keys kept. */
export function parseBankAnswer(text: string): Record<string, string> {
  const answer: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.replace(/\r$/, '');
    const eq = trimmed.indexOf('=');
    if (eq > 0) answer[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return answer;
}

export type BankOutcome =
  | { ok: true; answer: Record<string, string> }
  /** The bank said no (refused, wrong amounts, unknown order…): nothing was done. */
  | { ok: false; retry: false; answer: Record<string, string>; message: string }
  /** Busy or a technical problem at the bank: the same request may be sent again. */
  | { ok: false; retry: true; answer: Record<string, string>; message: string };

const CAPTURE_RETRY = /^(traitement en cours|autre traitement en cours|probleme technique)$/i;
// Recrédit: -41 technical problem, -44 another operation in progress.
const RECREDIT_RETRY = new Set(['-41', '-44']);

/**
 * The two code conventions (cmcic-api.md §4, §5, gotcha 1): capture and cancel answer `cdr=1` when
 * done, `0` refused, `-1` error; the recrédit answers `cdr=0` when done and a negative code otherwise.
 */
export function bankOutcome(call: BankCall, answer: Record<string, string>): BankOutcome {
  const cdr = answer.cdr ?? '';
  const lib = answer.lib ?? '';
  const message = `cdr=${cdr || '(none)'} ${lib}`.trim();
  if (call === 'capture') {
    if (cdr === '1') return { ok: true, answer };
    return { ok: false, retry: cdr === '-1' && CAPTURE_RETRY.test(lib), answer, message };
  }
  if (cdr === '0') return { ok: true, answer };
  return { ok: false, retry: RECREDIT_RETRY.has(cdr), answer, message };
}

export function bankError(what: string, outcome: Extract<BankOutcome, { ok: false }>): PaybridgeError {
  const details = { cdr: outcome.answer.cdr ?? null, lib: outcome.answer.lib ?? null };
  return outcome.retry
    ? new PaybridgeError('BROKER_UNAVAILABLE', `CM-CIC could not ${what} now (${outcome.message})`, {
        details,
      })
    : new PaybridgeError('BROKER_ERROR', `CM-CIC refused to ${what} (${outcome.message})`, { details });
}
