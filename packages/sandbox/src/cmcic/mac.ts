import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** The two seal schemes, both sent with `version=3.0` (reference §0); a property of the TPE. */
export type MacScheme = 'legacy' | 'current';

export type Fields = Readonly<Record<string, string>>;

/** Legacy request: 19 values in this order, joined by `*`, no trailing `*` (reference §3.3). */
export const LEGACY_REQUEST_ORDER = [
  'TPE',
  'date',
  'montant',
  'reference',
  'texte-libre',
  'version',
  'lgue',
  'societe',
  'mail',
  'nbrech',
  'dateech1',
  'montantech1',
  'dateech2',
  'montantech2',
  'dateech3',
  'montantech3',
  'dateech4',
  'montantech4',
  'options',
] as const;

/**
 * Legacy return: 20 values each followed by `*`, with the constant `3.0` in 6th place since the bank
 * does not post `version` back (reference §3.4). `montantech`, `filtrage*`, `cbenregistree`,
 * `cbmasquee` and `modepaiement` are posted but NOT covered.
 */
export const LEGACY_RETURN_ORDER = [
  'TPE',
  'date',
  'montant',
  'reference',
  'texte-libre',
  'version',
  'code-retour',
  'cvx',
  'vld',
  'brand',
  'status3ds',
  'numauto',
  'motifrefus',
  'originecb',
  'bincb',
  'hpancb',
  'ipclient',
  'originetr',
  'veres',
  'pares',
] as const;

export function legacyRequestString(fields: Fields): string {
  return LEGACY_REQUEST_ORDER.map((name) => fields[name] ?? '').join('*');
}

export function legacyReturnString(fields: Fields): string {
  return LEGACY_RETURN_ORDER.map((name) => `${name === 'version' ? '3.0' : (fields[name] ?? '')}*`).join('');
}

/**
 * Current scheme (request and return): every field present except `MAC`, as `key=value`, sorted by key
 * in byte order, joined by `*` (reference §3.5). Empty values stay (`key=`); absent fields are absent.
 * JS sort compares UTF-16 code units, which is byte order for these ASCII keys.
 */
export function sortedFieldString(fields: Fields): string {
  return Object.keys(fields)
    .filter((name) => name !== 'MAC')
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('*');
}

/**
 * Capture (`capture_paiement.cgi`) legacy seal (cmcic-api.md §3.1): the three amounts glued without
 * separators, a trailing `*`; `date_commande` and `montant` are not sealed.
 */
export function legacyCaptureString(fields: Fields): string {
  const amounts = `${fields.montant_a_capturer ?? ''}${fields.montant_deja_capture ?? ''}${fields.montant_restant ?? ''}`;
  return `${[fields.TPE, fields.date, amounts, fields.reference, fields['texte-libre'], fields.version, fields.lgue, fields.societe].map((v) => v ?? '').join('*')}*`;
}

/** Refund (`recredit_paiement.cgi`) legacy seal (cmcic-api.md §5): two amounts glued, a trailing `*`. */
export function legacyRefundString(fields: Fields): string {
  const amounts = `${fields.montant_recredit ?? ''}${fields.montant_possible ?? ''}`;
  return `${[fields.TPE, fields.date, amounts, fields.reference, fields['texte-libre'], fields.version, fields.lgue, fields.societe].map((v) => v ?? '').join('*')}*`;
}

export function requestMacSource(scheme: MacScheme, fields: Fields): string {
  return scheme === 'legacy' ? legacyRequestString(fields) : sortedFieldString(fields);
}

export function returnMacSource(scheme: MacScheme, fields: Fields): string {
  return scheme === 'legacy' ? legacyReturnString(fields) : sortedFieldString(fields);
}

/**
 * HMAC-SHA1 as 40 lowercase hex characters. Values are printable ASCII by the time they get here
 * (the page rejects anything else, reference §3.2), so the UTF-8 encoding equals the bytes every kit hashes.
 */
export function hmacSha1Hex(key: Uint8Array, message: string): string {
  return bytesToHex(hmac(sha1, key, utf8ToBytes(message)));
}

/** Case-insensitive (the bank and kits use both cases, reference §3.2), constant-time comparison. */
export function macEquals(expected: string, received: string): boolean {
  const a = expected.toLowerCase();
  const b = received.toLowerCase();
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index++) {
    difference |= a.charCodeAt(index) ^ (index < b.length ? b.charCodeAt(index) : 0);
  }
  return difference === 0;
}

/** The support control string of the kits (reference §3.6): checks a key without revealing it. */
export function controlString(key: Uint8Array, version: string, tpe: string, kit = 'V4.0.sha1.php'): string {
  return `${kit}--[CtlHmac${version}${tpe}]-${hmacSha1Hex(key, `CtlHmac${version}${tpe}`)}`;
}
