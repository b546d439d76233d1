import type { Delivery, DeliveryQueue } from '../lib/delivery';
import { binOf, type CardDecision, hashedPan, maskPan } from './cards';
import { bankEncode } from './encoding';
import { hmacSha1Hex, type MacScheme, returnMacSource } from './mac';

/** Mutable fault switches of the CM-CIC simulator (`sandbox.cmcic.faults`). */
export interface CmcicFaults {
  /** Send each return call this many extra times (separate deliveries, same body). */
  duplicate?: number;
  /** The bank signs the return wrongly: a correct merchant answers `cdr=1`. */
  badMac?: boolean;
  /**
   * The bank waits only this long for the acknowledgement (libcurl error 28 past it). Enforced through
   * the request's abort signal; `0` means the answer always comes too late (the merchant still gets the
   * call), which makes the fault deterministic with in-process merchants.
   */
  ackTimeoutMs?: number;
  /** Fields the bank adds to every return (a "new field" the merchant must not whitelist away). */
  extraFields?: Record<string, string>;
  /**
   * The next N calls to capture_paiement.cgi / recredit_paiement.cgi answer the bank's retryable
   * "technical problem" (`cdr=-1 probleme technique` / `cdr=-41`), changing nothing.
   */
  apiProblem?: number;
}

export interface ReturnCall {
  id: number;
  tpe: string;
  reference: string;
  codeRetour: string;
  /** The fields as posted, MAC included. */
  fields: Record<string, string>;
  body: string;
  url: string;
  attempts: Delivery['attempts'];
  state: Delivery['state'];
  /** True once an answer was exactly the expected acknowledgement. */
  acknowledged: boolean;
  /** Set when the ackTimeoutMs fault was active for this call. */
  ackTimeoutMs: number | undefined;
}

/** Everything the return interface reports about one attempt. */
export interface ReturnInput {
  scheme: MacScheme;
  tpe: string;
  montant: string;
  reference: string;
  texteLibre: string;
  codeRetour: string;
  date: string;
  test: boolean;
  card: { pan: string; vld: string; cvvEntered: boolean } | undefined;
  decision: CardDecision;
  numauto: string | undefined;
  ipClient: string;
  montantech: string | undefined;
  /**
   * The order had an alias: `storedNow` when the card typed in this attempt was stored under it,
   * `onFile` when the card used is the one stored under it (after this attempt).
   */
  alias: { storedNow: boolean; onFile: boolean } | undefined;
}

/**
 * The fields the bank posts (reference §4.2), in the order of the doc v3.0 sample for the legacy
 * scheme. The legacy seal covers 20 positions only; the current one covers everything posted and the
 * bank does not post `version` back (§3.5). Absent values are omitted, `veres`/`pares` posted empty.
 */
export function returnFields(input: ReturnInput): Array<[string, string]> {
  const { decision, card } = input;
  const accepted = decision.outcome === 'accepted';
  const filter = decision.outcome === 'refused' ? undefined : decision.filter;
  const fields: Array<[string, string]> = [
    ['TPE', input.tpe],
    ['date', input.date],
    ['montant', input.montant],
    ['reference', input.reference],
    ['texte-libre', input.texteLibre],
    ['code-retour', input.codeRetour],
    ['cvx', card?.cvvEntered ? 'oui' : 'non'],
    ['vld', card?.vld ?? ''],
    // Doc v3.0: `brand` is always `na` on the test platform.
    ['brand', input.test ? 'na' : 'VI'],
  ];
  if (input.scheme === 'legacy') fields.push(['status3ds', '1']);
  if (accepted && input.numauto) fields.push(['numauto', input.numauto]);
  if (decision.outcome === 'refused') {
    fields.push(['motifrefus', decision.motif]);
    if (input.scheme === 'current') {
      fields.push(['motifrefusautorisation', input.test ? 'Refus test' : 'Refus emetteur']);
    }
  }
  if (decision.outcome === 'filtered') fields.push(['motifrefus', 'filtrage']);
  if (input.scheme === 'current') {
    fields.push(['authentification', authentication()]);
    fields.push(['usage', 'inconnu'], ['typecompte', 'particulier'], ['ecard', 'non']);
  }
  const pan = card?.pan ?? '';
  fields.push(
    ['originecb', filter?.cardCountry ?? 'FRA'],
    ['bincb', binOf(pan, input.scheme)],
    ['hpancb', pan ? hashedPan(input.tpe, pan) : ''],
    ['ipclient', input.ipClient],
    ['originetr', 'FRA'],
  );
  if (input.scheme === 'legacy') fields.push(['veres', ''], ['pares', '']);
  if (input.montantech !== undefined) fields.push(['montantech', input.montantech]);
  if (filter) {
    fields.push(['filtragecause', filter.cause], ['filtragevaleur', filter.value]);
    if (filter.information) fields.push(['filtrage_etat', 'information']);
  }
  // §5.1: `1` when the buyer typed a card and it was stored under the alias, `0` otherwise (so a
  // returning buyer paying with the card on file gets `0`).
  if (input.alias) fields.push(['cbenregistree', input.alias.storedNow ? '1' : '0']);
  // Doc v3.0 sends the masked card only with a stored card; doc v2.0 for every card payment (§5.1).
  if (pan && (input.scheme === 'current' || input.alias?.onFile)) {
    fields.push(['cbmasquee', maskPan(pan, input.scheme)]);
  }
  fields.push(['modepaiement', 'CB']);
  return fields;
}

/**
 * `authentification` (current scheme, §5.4): Base64 of pretty-printed JSON, as the kit sample; the
 * merchant must hash it as received and never re-encode it.
 */
function authentication(): string {
  const json = JSON.stringify(
    {
      status: 'authenticated',
      protocol: '3DSecure',
      version: '2.2.0',
      details: { liabilityShift: 'Y', ARes: 'C', CRes: 'Y', merchantPreference: 'no_preference' },
    },
    null,
    4,
  );
  return btoa(json);
}

/** Inserts the MAC where the doc v3.0 sample has it (after `reference`). */
export function signReturn(
  fields: Array<[string, string]>,
  scheme: MacScheme,
  key: Uint8Array,
  badMac: boolean,
): Array<[string, string]> {
  const source = returnMacSource(scheme, Object.fromEntries(fields));
  // A wrong seal: the right algorithm over a string the merchant cannot rebuild.
  const mac = hmacSha1Hex(key, badMac ? `${source}*` : source);
  const at = fields.findIndex(([name]) => name === 'reference') + 1;
  return [...fields.slice(0, at), ['MAC', mac], ...fields.slice(at)];
}

/** Only `cdr=0` acknowledges; kits omit the final LF and may add lines after it (reference §4.4). */
export function isAcknowledgement(status: number, body: string): boolean {
  return status === 200 && /^version=2\ncdr=0(\n|$)/.test(body);
}

export interface ScheduleReturnOptions {
  queue: DeliveryQueue;
  url: string;
  fields: Array<[string, string]>;
  faults: CmcicFaults;
  retryDelayMs: number;
}

/**
 * Posts the return interface; one second attempt when the acknowledgement is missing or wrong (doc v3.0
 * §4.5; the newer schedule is UNCONFIRMED). Returns one delivery per copy (duplicate fault).
 */
export function scheduleReturn(options: ScheduleReturnOptions): Delivery[] {
  const { faults } = options;
  const codeRetour = options.fields.find(([name]) => name === 'code-retour')?.[1] ?? '';
  const body = new TextEncoder().encode(bankEncode(options.fields));
  const tooLate = faults.ackTimeoutMs !== undefined && faults.ackTimeoutMs <= 0;
  const copies = 1 + Math.max(0, Math.floor(faults.duplicate ?? 0));
  return Array.from({ length: copies }, () =>
    options.queue.schedule(
      'cmcic',
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      },
      {
        label: `retour:${codeRetour}`,
        retryDelays: [options.retryDelayMs],
        // The terminal's return URL is registered by the sandbox's owner, never taken from a form.
        ownerConfigured: true,
        accept: (status, text) => !tooLate && isAcknowledgement(status, text),
        // The merchant must answer within ~30 s (doc v3.0 FAQ "CGI2 NOT OK").
        timeoutMs:
          faults.ackTimeoutMs !== undefined && faults.ackTimeoutMs > 0 ? faults.ackTimeoutMs : 30_000,
      },
    ),
  );
}
