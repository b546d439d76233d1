import { parseDay, parseRequestDate } from './encoding';
import type { Fields, MacScheme } from './mac';

/** What the payment page understood from a valid "Aller" form. */
export interface OrderRequest {
  tpe: string;
  reference: string;
  /** The form's `date` (`DD/MM/YYYY:HH:MM:SS`): its day is the `date_commande` of captures and refunds. */
  date: string;
  /** `montant` exactly as received (echoed back in the return). */
  montant: string;
  currency: string;
  amountMinor: number;
  texteLibre: string;
  mail: string | undefined;
  lgue: string;
  urlOk: string;
  urlErr: string;
  /** Legacy `url_retour`: link shown when the call itself is faulty. */
  urlRetour: string | undefined;
  alias: string | undefined;
  forceCardEntry: boolean;
  /** Split payment ("paiement fractionné"): each instalment's date and `montantechN` as received. */
  instalments: Array<{ date: string; montant: string }>;
}

export type FieldCheck = { ok: true; order: OrderRequest } | { ok: false; problems: string[] };

const LANGUAGES = new Set(['FR', 'EN', 'DE', 'IT', 'ES', 'NL', 'PT', 'SV', 'JA']);
const AMOUNT = /^([0-9]+)(?:\.([0-9]{1,2}))?([A-Z]{3})$/;
const ALIAS = /^[A-Za-z0-9]{1,64}$/;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

const SPLIT_FIELDS = ['nbrech', 1, 2, 3, 4].flatMap((n) =>
  typeof n === 'string' ? [n] : [`dateech${n}`, `montantech${n}`],
);
const COMMON_FIELDS = [
  'TPE',
  'version',
  'date',
  'montant',
  'reference',
  'texte-libre',
  'mail',
  'lgue',
  'societe',
  'url_retour_ok',
  'url_retour_err',
  'MAC',
  'mode_affichage',
  ...SPLIT_FIELDS,
];
/** Doc v3.0: options travel inside `options`; `url_retour` is legacy-only. */
const LEGACY_FIELDS = new Set([...COMMON_FIELDS, 'url_retour', 'options']);
/** MoneticoDemoWebKit `PaymentRequest` (reference §2): the kit sends nothing else. */
const CURRENT_FIELDS = new Set([
  ...COMMON_FIELDS,
  'url_retour',
  'contexte_commande',
  'ThreeDSecureChallenge',
  '3dsdebrayable',
  'libelleMonetique',
  'libelleMonetiqueLocalite',
  'desactivemoyenpaiement',
  'protocole',
  'aliascb',
  'forcesaisiecb',
  'numero_dossier',
  ...[
    'civiliteclient',
    'nomclient',
    'prenomclient',
    'adresseclient',
    'complementadresseclient',
    'codepostalclient',
    'villeclient',
    'paysclient',
    'telephonefixeclient',
    'telephonemobileclient',
    'departementnaissanceclient',
    'datenaissanceclient',
    'prescore',
  ],
]);
const LEGACY_OPTIONS: Record<string, RegExp> = {
  aliascb: ALIAS,
  forcesaisiecb: /^1$/,
  // Seen in third-party code only (reference §2, UNCONFIRMED): tolerated.
  '3dsdebrayable': /^[01]$/,
};

export function amountToMinor(montant: string): { minor: number; currency: string } | null {
  const match = AMOUNT.exec(montant);
  if (!match) return null;
  const units = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return { minor: units * 100 + cents, currency: match[3] as string };
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export interface FieldRules {
  scheme: MacScheme;
  versions: readonly string[];
}

/**
 * Checks an Aller form as the bank does after the seal (reference §2, §5.3, §7): formats and lengths,
 * only printable ASCII (no CR/LF, non-ASCII must be encoded by the merchant, §3.2), and no field the
 * scheme does not define (the kit rule "never send unknown extra fields"; mixing schemes shows up here).
 */
export function checkOrderFields(fields: Fields, rules: FieldRules): FieldCheck {
  const problems: string[] = [];
  const allowed = rules.scheme === 'legacy' ? LEGACY_FIELDS : CURRENT_FIELDS;
  for (const [name, value] of Object.entries(fields)) {
    if (!allowed.has(name)) problems.push(`${name}: not a field of this TPE's form`);
    else if (!PRINTABLE_ASCII.test(value)) problems.push(`${name}: only printable ASCII is allowed`);
  }
  const value = (name: string) => fields[name] ?? '';
  const required = (name: string, pattern: RegExp, what: string) => {
    if (!pattern.test(value(name)))
      problems.push(`${name}: ${fields[name] === undefined ? 'missing' : what}`);
  };

  required('TPE', /^[A-Za-z0-9]{7}$/, 'must be 7 letters or digits');
  if (!rules.versions.includes(value('version'))) problems.push('version: unsupported');
  if (parseRequestDate(value('date')) === null) problems.push('date: expected DD/MM/YYYY:HH:MM:SS');
  const amount = amountToMinor(value('montant'));
  if (!amount || value('montant').length > 20) problems.push('montant: expected e.g. 62.73EUR');
  required(
    'reference',
    rules.scheme === 'legacy' ? /^[A-Za-z0-9]{1,12}$/ : /^[\x20-\x7E]{1,50}$/,
    rules.scheme === 'legacy' ? 'at most 12 letters or digits' : 'at most 50 printable characters',
  );
  if (value('texte-libre').length > 3200) problems.push('texte-libre: longer than 3200');
  if (fields.mail !== undefined && fields.mail !== '' && !/^[^@\s]+@[^@\s]+$/.test(fields.mail)) {
    problems.push('mail: not an e-mail address');
  }
  if (value('mail').length > 255) problems.push('mail: longer than 255');
  if (!LANGUAGES.has(value('lgue'))) problems.push('lgue: unknown language');
  required('societe', /^[A-Za-z0-9]{1,20}$/, 'must be up to 20 letters or digits');
  for (const name of ['url_retour_ok', 'url_retour_err']) {
    if (!isUrl(value(name)) || value(name).length > 2048) problems.push(`${name}: not a URL`);
  }
  if (fields.url_retour !== undefined && !isUrl(fields.url_retour)) problems.push('url_retour: not a URL');

  let alias: string | undefined;
  let forceCardEntry = false;
  if (rules.scheme === 'legacy') {
    for (const pair of value('options') === '' ? [] : value('options').split('&')) {
      const [name = '', optionValue = ''] = pair.split('=', 2);
      const pattern = LEGACY_OPTIONS[name];
      if (!pattern?.test(optionValue)) problems.push(`options: invalid option ${name}`);
      if (name === 'aliascb') alias = optionValue;
      if (name === 'forcesaisiecb') forceCardEntry = optionValue === '1';
    }
  } else {
    if (fields.aliascb !== undefined) {
      if (!ALIAS.test(fields.aliascb)) problems.push('aliascb: 1 to 64 letters or digits');
      alias = fields.aliascb;
    }
    if (fields.forcesaisiecb !== undefined && !/^[01]$/.test(fields.forcesaisiecb)) {
      problems.push('forcesaisiecb: 0 or 1');
    }
    forceCardEntry = fields.forcesaisiecb === '1';
    problems.push(...checkOrderContext(fields.contexte_commande));
  }

  const instalments = amount ? checkSplit(fields, value('date'), amount, problems) : [];
  if (problems.length > 0 || !amount) return { ok: false, problems };
  return {
    ok: true,
    order: {
      tpe: value('TPE'),
      reference: value('reference'),
      date: value('date'),
      montant: value('montant'),
      currency: amount.currency,
      amountMinor: amount.minor,
      texteLibre: value('texte-libre'),
      mail: fields.mail,
      lgue: value('lgue'),
      urlOk: value('url_retour_ok'),
      urlErr: value('url_retour_err'),
      urlRetour: fields.url_retour,
      alias,
      forceCardEntry,
      instalments,
    },
  };
}

/** `contexte_commande` (current scheme, required): Base64 of UTF-8 JSON (reference §5.5). */
function checkOrderContext(contexte: string | undefined): string[] {
  if (contexte === undefined) return ['contexte_commande: missing'];
  try {
    const parsed: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(base64Bytes(contexte)),
    );
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return ['contexte_commande: not a JSON object'];
    }
    return [];
  } catch {
    return ['contexte_commande: not Base64 of UTF-8 JSON'];
  }
}

function base64Bytes(value: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw new Error('not base64');
  return Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
}

/** Split payment rules of doc v3.0 (reference §5.3); empty split fields count as absent (ekyna sends them). */
function checkSplit(
  fields: Fields,
  date: string,
  amount: { minor: number; currency: string },
  problems: string[],
): Array<{ date: string; montant: string }> {
  const nbrech = fields.nbrech ?? '';
  const extra = SPLIT_FIELDS.filter((name) => name !== 'nbrech' && (fields[name] ?? '') !== '');
  if (nbrech === '') {
    if (extra.length > 0) problems.push('nbrech: missing for a split schedule');
    return [];
  }
  const count = Number(nbrech);
  if (!/^[2-4]$/.test(nbrech)) {
    problems.push('nbrech: 2 to 4');
    return [];
  }
  const instalments: Array<{ date: string; montant: string }> = [];
  const first = parseDay(fields.dateech1 ?? '');
  let total = 0;
  for (let n = 1; n <= 4; n++) {
    const dateech = fields[`dateech${n}`] ?? '';
    const montantech = fields[`montantech${n}`] ?? '';
    if (n > count) {
      if (dateech !== '' || montantech !== '') problems.push(`dateech${n}: beyond nbrech`);
      continue;
    }
    const due = parseDay(dateech);
    const part = amountToMinor(montantech);
    if (!part || part.currency !== amount.currency) problems.push(`montantech${n}: same format and currency`);
    else total += part.minor;
    if (!due || !first) problems.push(`dateech${n}: expected DD/MM/YYYY`);
    else if (dateech !== monthsAfter(first, n - 1)) problems.push(`dateech${n}: monthly schedule broken`);
    instalments.push({ date: dateech, montant: montantech });
  }
  if (fields.dateech1 !== undefined && fields.dateech1 !== date.slice(0, 10)) {
    problems.push('dateech1: must be the order date');
  }
  if (total !== amount.minor) problems.push('montantech: instalments do not add up to montant');
  return instalments;
}

/** Same day N calendar months later, clamped to the month's end: 31/01/2010 → 28/02/2010 → 31/03/2010. */
function monthsAfter(start: { day: number; month: number; year: number }, months: number): string {
  const monthIndex = start.month - 1 + months;
  const year = start.year + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(start.day, lastDay);
  return `${String(day).padStart(2, '0')}/${String(month + 1).padStart(2, '0')}/${year}`;
}
