import type { SandboxClock } from '../lib/clock';
import { PLAIN_TEXT, withOwnHeaders } from '../lib/response';
import { parseDay, parseRequestDate, returnDate } from './encoding';
import { amountToMinor } from './fields';
import {
  type Fields,
  hmacSha1Hex,
  legacyCaptureString,
  legacyRefundString,
  macEquals,
  sortedFieldString,
} from './mac';
import type { OrderState, PaidOrder, RegisteredTpe } from './payment-page';

/**
 * The bank's server-to-server interfaces (cmcic-api.md): `capture_paiement.cgi` (capture, cancel of the
 * remainder) and `recredit_paiement.cgi` (refund). Answers are `key=value` lines, never sealed; the
 * two interfaces use opposite `cdr` conventions (capture 1 = done, refund 0 = done).
 */
export interface BankApiContext {
  tpes: ReadonlyMap<string, RegisteredTpe>;
  orders: ReadonlyMap<string, OrderState>;
  clock: SandboxClock;
  timeZone: string;
  /** `problem`: the next N calls answer the bank's "technical problem" (retryable). */
  faults: { apiProblem?: number };
  log: BankOperation[];
}

/** One call to the bank's interfaces, for introspection (`sandbox.cmcic.operations()`). */
export interface BankOperation {
  kind: 'capture' | 'refund';
  at: number;
  tpe: string;
  reference: string;
  /** The request fields, MAC included. */
  fields: Record<string, string>;
  cdr: number;
  lib: string;
}

const LANGUAGES = new Set(['FR', 'EN', 'DE', 'IT', 'ES', 'NL', 'PT', 'SV', 'JA']);
const DAY_MS = 24 * 3600 * 1000;
const CAPTURE_FIELDS = [
  'version',
  'TPE',
  'date',
  'date_commande',
  'montant',
  'montant_a_capturer',
  'montant_deja_capture',
  'montant_restant',
  'reference',
  'lgue',
  'societe',
  'MAC',
];
const REFUND_FIELDS = [
  'version',
  'TPE',
  'date',
  'date_commande',
  'date_remise',
  'num_autorisation',
  'montant',
  'montant_recredit',
  'montant_possible',
  'reference',
  'lgue',
  'societe',
  'MAC',
];

class Answer {
  constructor(
    readonly cdr: number,
    readonly lib: string,
    readonly extra: Record<string, string> = {},
  ) {}
}

function plain(reference: string, answer: Answer): Response {
  const lines = [`version=1.0`, `reference=${reference}`, `cdr=${answer.cdr}`, `lib=${answer.lib}`];
  for (const [name, value] of Object.entries(answer.extra)) lines.push(`${name}=${value}`);
  return withOwnHeaders(`${lines.join('\n')}\n`, 200, PLAIN_TEXT);
}

function sealValid(tpe: RegisteredTpe, fields: Fields, legacy: (fields: Fields) => string): boolean {
  const source = tpe.scheme === 'legacy' ? legacy(fields) : sortedFieldString(fields);
  return macEquals(hmacSha1Hex(tpe.hmacKey, source), fields.MAC ?? '');
}

/** The request's `date` must be within ±24 h of the bank's clock (its local time, like the form's). */
function dateInWindow(ctx: BankApiContext, date: string): boolean | null {
  const at = parseRequestDate(date);
  if (at === null) return null;
  const bank = returnDate(ctx.clock.now(), ctx.timeZone).replace('_a_', ':');
  const bankAt = parseRequestDate(bank) as number;
  return Math.abs(bankAt - at) <= DAY_MS;
}

function paidOrder(
  ctx: BankApiContext,
  tpe: string,
  fields: Fields,
): { state: OrderState; payment: PaidOrder } | null {
  const state = ctx.orders.get(`${tpe}/${fields.reference ?? ''}`);
  if (!state?.payment) return null;
  return { state, payment: state.payment };
}

/** `capture_paiement.cgi`: capture all or part, or cancel with zeros (cmcic-api.md §3–4). */
export function capture(ctx: BankApiContext, fields: Fields): Answer {
  if (CAPTURE_FIELDS.some((name) => fields[name] === undefined))
    return new Answer(-1, 'la demande ne peut aboutir');
  const tpe = ctx.tpes.get(fields.TPE as string);
  if (!tpe || tpe.societe !== fields.societe || !LANGUAGES.has(fields.lgue as string)) {
    return new Answer(-1, 'commercant non identifie');
  }
  if (!sealValid(tpe, fields, legacyCaptureString)) return new Answer(-1, 'signature non valide');
  const inWindow = dateInWindow(ctx, fields.date as string);
  if (inWindow === null || parseDay(fields.date_commande as string) === null)
    return new Answer(-1, 'date erronee');
  if (!inWindow) return new Answer(0, 'commande expiree');
  if (ctx.faults.apiProblem) {
    ctx.faults.apiProblem -= 1;
    return new Answer(-1, 'probleme technique');
  }
  const amounts = ['montant', 'montant_a_capturer', 'montant_deja_capture', 'montant_restant'].map((name) =>
    amountToMinor(fields[name] as string),
  );
  const [total, now, already, remaining] = amounts;
  if (!total || !now || !already || !remaining || amounts.some((a) => a?.currency !== total.currency)) {
    return new Answer(-1, 'montant errone');
  }
  // A cancel sends zeros for "now" and "remaining" with what was really collected (§3), so only a
  // capture must add up to the order's amount.
  const isCancel = now.minor === 0 && remaining.minor === 0;
  if (!isCancel && now.minor + already.minor + remaining.minor !== total.minor) {
    return new Answer(-1, 'montant errone');
  }
  if (now.minor === 0 && !isCancel) return new Answer(-1, 'montant errone');
  const state = ctx.orders.get(`${tpe.tpe}/${fields.reference}`);
  if (state?.status === 'burnt') return new Answer(0, 'commande grillee');
  const found = paidOrder(ctx, tpe.tpe, fields);
  if (
    !found ||
    found.payment.dateCommande !== fields.date_commande ||
    found.payment.amountMinor !== total.minor ||
    found.payment.currency !== total.currency
  ) {
    return new Answer(0, 'commande non authentifiee');
  }
  const { payment } = found;
  if (fields.stoprecurrence !== undefined || tpe.mode === 'immediate') {
    return new Answer(-1, 'verification echouee (mode de paiement)');
  }
  if (payment.cancelled) return new Answer(0, 'la commande est deja annulee');
  const open = payment.amountMinor - payment.capturedMinor;
  if (open === 0) return new Answer(0, 'paiement deja accepte');
  if (already.minor !== payment.capturedMinor) return new Answer(-1, 'montant errone');
  if (isCancel) {
    payment.cancelled = true;
    return new Answer(1, 'commande annulee');
  }
  // A deferred terminal collects the whole amount once; only a partial one leaves a remainder.
  if (tpe.mode === 'deferred' && (remaining.minor !== 0 || already.minor !== 0)) {
    return new Answer(-1, 'verification echouee (mode de paiement)');
  }
  payment.capturedMinor += now.minor;
  payment.collectedOn = returnDate(ctx.clock.now(), ctx.timeZone).slice(0, 10);
  return new Answer(1, 'paiement accepte', { aut: payment.numauto });
}

/** `recredit_paiement.cgi`: refund part or all of what was collected (cmcic-api.md §5). */
export function refund(ctx: BankApiContext, fields: Fields): Answer {
  if (REFUND_FIELDS.some((name) => fields[name] === undefined))
    return new Answer(-43, 'parametres invalides');
  const tpe = ctx.tpes.get(fields.TPE as string);
  if (!tpe || tpe.societe !== fields.societe || !LANGUAGES.has(fields.lgue as string)) {
    return new Answer(-30, 'Commercant non identifie');
  }
  if (!sealValid(tpe, fields, legacyRefundString)) return new Answer(-31, 'signature non validee');
  if (!tpe.refunds) return new Answer(-32, 'recredit non autorise');
  const inWindow = dateInWindow(ctx, fields.date as string);
  if (
    inWindow === null ||
    !parseDay(fields.date_commande as string) ||
    !parseDay(fields.date_remise as string)
  ) {
    return new Answer(-43, 'parametres invalides');
  }
  if (!inWindow) return new Answer(-33, 'demande de recredit expiree');
  if (ctx.faults.apiProblem) {
    ctx.faults.apiProblem -= 1;
    return new Answer(-41, 'un probleme technique est survenu');
  }
  const amount = amountToMinor(fields.montant_recredit as string);
  if (!amount || amount.minor === 0) return new Answer(-34, 'montant de recredit errone');
  const total = amountToMinor(fields.montant as string);
  const possible = amountToMinor(fields.montant_possible as string);
  if (!total || !possible) return new Answer(-43, 'parametres invalides');
  const found = paidOrder(ctx, tpe.tpe, fields);
  if (
    !found ||
    found.payment.dateCommande !== fields.date_commande ||
    found.payment.amountMinor !== total.minor
  ) {
    return new Answer(-37, 'la commande est inexistante');
  }
  const { payment } = found;
  if (
    amount.currency !== payment.currency ||
    possible.currency !== payment.currency ||
    total.currency !== payment.currency
  ) {
    return new Answer(-42, 'la devise est incorrecte');
  }
  if (payment.capturedMinor === 0 || !payment.collectedOn) {
    return new Answer(-38, 'la commande ne peut pas donner lieu a un recredit');
  }
  if (fields.num_autorisation !== payment.numauto || fields.date_remise !== payment.collectedOn) {
    return new Answer(-39, 'le paiement est inexistant');
  }
  const refundable = payment.capturedMinor - payment.refundedMinor;
  if (possible.minor !== refundable) return new Answer(-35, 'Les montants transmis sont incorrects');
  if (amount.minor > refundable)
    return new Answer(-40, 'le montant total des recredits ne peut depasser le seuil');
  payment.refundedMinor += amount.minor;
  return new Answer(0, 'recredit effectue');
}

/** Serves one call: reads the form, answers, and records the operation. */
export function answerBankCall(
  ctx: BankApiContext,
  kind: BankOperation['kind'],
  fields: Record<string, string>,
  duplicates: readonly string[],
): Response {
  const answer =
    duplicates.length > 0
      ? kind === 'capture'
        ? new Answer(-1, 'la demande ne peut aboutir')
        : new Answer(-43, 'parametres invalides')
      : kind === 'capture'
        ? capture(ctx, fields)
        : refund(ctx, fields);
  const reference = (fields.reference ?? '').slice(0, 50);
  ctx.log.push({
    kind,
    at: ctx.clock.now(),
    tpe: fields.TPE ?? '',
    reference,
    fields: { ...fields },
    cdr: answer.cdr,
    lib: answer.lib,
  });
  return plain(reference.replace(/[\r\n]/g, ''), answer);
}
