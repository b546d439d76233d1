import { hmac, timingSafeEqual, toHex, utf8 } from '@paybridge/core/kit';
import { cmcicKey } from './key';

/**
 * The two MAC ("sceau") schemes, both sent with `version=3.0` (protocols/cmcic.md §0, §3):
 * - `legacy`: values only, in a fixed order, joined by `*` (doc v3.0, kits 1.04 and 4.0-2014);
 * - `current`: every field present except `MAC`, as `key=value`, sorted by key, joined by `*`
 *   (Monetico doc v2.0, MoneticoDemoWebKit `HmacComputer::getStringToSeal`).
 * Which one a terminal uses is part of its configuration at the bank.
 */
export type MacScheme = 'current' | 'legacy';

/** `request`: the form sent to paiement.cgi; `return`: the bank's call to the return interface. */
export type MacDirection = 'request' | 'return';

export type CmcicFields = Readonly<Record<string, string | undefined>>;

// Doc v3.0 §3.3 / kit CMCIC_CGI1_FIELDS: 19 positions, `montant` already holds amount + currency.
const LEGACY_REQUEST_ORDER = [
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

// Doc v3.0 §3.4 / kit CMCIC_CGI2_FIELDS: 20 positions each followed by `*`; the version is the
// constant 3.0 because the bank does not post it back.
const LEGACY_RETURN_ORDER = [
  'TPE',
  'date',
  'montant',
  'reference',
  'texte-libre',
  null,
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

/** The fields a legacy return MAC covers; the others (fraud, express, split) are unauthenticated. */
export const LEGACY_RETURN_MAC_FIELDS: readonly string[] = LEGACY_RETURN_ORDER.filter(
  (name): name is Exclude<typeof name, null> => name !== null,
);

/** The exact string the MAC is computed over. Absent fields are empty strings in the legacy scheme. */
export function macSource(fields: CmcicFields, scheme: MacScheme, direction: MacDirection): string {
  if (scheme === 'current') {
    // Every field present, empty ones included as `key=`; JS sort on ASCII keys is byte order
    // (digits < upper case < lower case), as PHP ksort in the official kit.
    return Object.keys(fields)
      .filter((name) => name !== 'MAC' && fields[name] !== undefined)
      .sort()
      .map((name) => `${name}=${fields[name]}`)
      .join('*');
  }
  if (direction === 'request') {
    return LEGACY_REQUEST_ORDER.map((name) => fields[name] ?? '').join('*');
  }
  return LEGACY_RETURN_ORDER.map((name) => `${name === null ? '3.0' : (fields[name] ?? '')}*`).join('');
}

/** HMAC-SHA1 of `source` bytes under a 40-character merchant key (or its 20 converted bytes), lower-case hex. */
export async function macOfBytes(key: string | Uint8Array, source: Uint8Array): Promise<string> {
  const keyBytes = typeof key === 'string' ? cmcicKey(key) : key;
  return toHex(await hmac('SHA-1', keyBytes, source));
}

export interface MacOptions {
  scheme: MacScheme;
  direction: MacDirection;
}

/**
 * The MAC of a request form or of a return, as 40 lower-case hex characters. Values are the raw
 * field values (not HTML-escaped), hashed as UTF-8: keep them printable ASCII (§3.2).
 */
export async function computeMac(
  key: string | Uint8Array,
  fields: CmcicFields,
  options: MacOptions,
): Promise<string> {
  return macOfBytes(key, utf8(macSource(fields, options.scheme, options.direction)));
}

/** Constant-time, case-insensitive comparison of a received MAC with the expected lower-case hex. */
export function macEquals(expected: string, received: string): boolean {
  if (!/^[0-9a-fA-F]{40}$/.test(received)) return false;
  return timingSafeEqual(utf8(expected.toLowerCase()), utf8(received.toLowerCase()));
}

/** Check the `MAC` field of a request or a return. */
export async function verifyMac(
  key: string | Uint8Array,
  fields: CmcicFields,
  options: MacOptions,
): Promise<boolean> {
  const received = fields.MAC;
  if (received === undefined) return false;
  return macEquals(await computeMac(key, fields, options), received);
}
