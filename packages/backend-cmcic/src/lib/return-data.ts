import { type FraudScreening, parseFraudScreening } from './fraud';

/**
 * `code-retour` of the return interface (protocols/cmcic.md §4.3): `paiement` accepted (live),
 * `payetest` accepted (test platform only), `Annulation` refused (a later authorisation may still
 * come for the same reference), `paiement_pfN`/`Annulation_pfN` for the bank's automatic
 * collection of instalment N = 2..4 of a split payment. Matched case-insensitively: doc v2.0 spells
 * `annulation` in lower case once.
 */
export type CodeRetour =
  | { kind: 'accepted'; test: boolean; instalment: null }
  | { kind: 'refused'; instalment: null }
  | { kind: 'accepted'; test: false; instalment: number }
  | { kind: 'refused'; instalment: number };

export function parseCodeRetour(text: string): CodeRetour | null {
  const code = text.toLowerCase();
  if (code === 'paiement') return { kind: 'accepted', test: false, instalment: null };
  if (code === 'payetest') return { kind: 'accepted', test: true, instalment: null };
  if (code === 'annulation') return { kind: 'refused', instalment: null };
  const split = /^(paiement|annulation)_pf([2-4])$/.exec(code);
  if (!split) return null;
  const instalment = Number(split[2]);
  return split[1] === 'paiement'
    ? { kind: 'accepted', test: false, instalment }
    : { kind: 'refused', instalment };
}

/** 3-D Secure result of a current-scheme return (`authentification`, Base64 of UTF-8 JSON). */
export interface Authentication {
  status: string | null;
  protocol: string | null;
  version: string | null;
  details: Record<string, unknown>;
}

function decodeAuthentication(text: string | undefined): Authentication | null {
  if (!text) return null;
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof json !== 'object' || json === null) return null;
    const record = json as Record<string, unknown>;
    const str = (value: unknown) => (typeof value === 'string' ? value : null);
    const details =
      typeof record.details === 'object' && record.details !== null
        ? (record.details as Record<string, unknown>)
        : {};
    return {
      status: str(record.status),
      protocol: str(record.protocol),
      version: str(record.version),
      details,
    };
  } catch {
    return null;
  }
}

/** Express payment (Paiement Express) outcome of a return (§5.1). */
export interface ExpressPaymentData {
  /** The alias sent with the form (`aliascb`), when there was one. */
  alias: string | null;
  /** `cbenregistree=1`: the card typed was stored under the alias. */
  cardStored: boolean | null;
  /** `cbmasquee`: the masked card number (`123456******7890`). */
  maskedCard: string | null;
  /** `nomcartesequestree`: name given to the stored card. */
  storedCardName: string | null;
}

/** What a verified return tells about the attempt, kept on the payment (`brokerData.cmcic`). */
export interface CmcicReturnData {
  reference: string;
  codeRetour: string;
  /** Time of the authorisation request, as sent (`DD/MM/YYYY_a_HH:MM:SS`). */
  date: string;
  cvvEntered: boolean | null;
  /** Card expiry `MMYY`. */
  expiry: string | null;
  brand: string | null;
  authorisationNumber: string | null;
  refusalReason: string | null;
  /** Monetico's finer refusal reason (`motifrefusautorisation`). */
  authorisationRefusal: string | null;
  paymentMethod: string | null;
  cardCountry: string | null;
  ipCountry: string | null;
  ip: string | null;
  /** Legacy scheme `status3ds` (-1 … 4). */
  status3ds: string | null;
  authentication: Authentication | null;
  express: ExpressPaymentData;
  fraud: FraudScreening | null;
  /**
   * Fields not covered by the MAC: in the legacy scheme the bank does not seal the fraud, express
   * and Monetico-era fields (protocols/cmcic.md §3.4); they are reported here but never decide the
   * amount, the event or the refusal reason. Empty in the current scheme, where every field is.
   */
  unauthenticatedFields: string[];
}

const opt = (value: string | undefined) => (value === undefined || value === '' ? null : value);

export function describeReturn(
  fields: Readonly<Record<string, string | undefined>>,
  alias: string | null,
  unauthenticatedFields: string[],
): CmcicReturnData {
  const stored = fields.cbenregistree;
  const cvx = fields.cvx?.toLowerCase();
  return {
    reference: fields.reference ?? '',
    codeRetour: fields['code-retour'] ?? '',
    date: fields.date ?? '',
    cvvEntered: cvx === 'oui' ? true : cvx === 'non' ? false : null,
    expiry: opt(fields.vld),
    brand: opt(fields.brand),
    authorisationNumber: opt(fields.numauto),
    refusalReason: opt(fields.motifrefus),
    authorisationRefusal: opt(fields.motifrefusautorisation),
    paymentMethod: opt(fields.modepaiement),
    cardCountry: opt(fields.originecb),
    ipCountry: opt(fields.originetr),
    ip: opt(fields.ipclient),
    status3ds: opt(fields.status3ds),
    authentication: decodeAuthentication(fields.authentification),
    express: {
      alias,
      cardStored: stored === '1' ? true : stored === '0' ? false : null,
      maskedCard: opt(fields.cbmasquee),
      storedCardName: opt(fields.nomcartesequestree),
    },
    fraud: parseFraudScreening(fields),
    unauthenticatedFields,
  };
}
