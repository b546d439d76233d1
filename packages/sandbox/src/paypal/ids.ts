/** Identifiers and dates with the shapes PayPal uses (protocol reference §8, §14). */

const UPPER_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';
const SIGN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_';

function randomFrom(alphabet: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  // 256 is not a multiple of every alphabet size; the slight bias is irrelevant for test identifiers.
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** `txn_id`: 17 uppercase alphanumerics. */
export const newTxnId = (): string => randomFrom(UPPER_ALNUM, 17);
/** `payer_id` / `receiver_id`: 13 uppercase alphanumerics. */
export const newAccountId = (): string => randomFrom(UPPER_ALNUM, 13);
/** `subscr_id` of current subscriptions: `I-` + 12. */
export const newSubscrId = (): string => `I-${randomFrom(UPPER_ALNUM, 12)}`;
/** `ipn_track_id`: 13 lowercase hex. */
export const newIpnTrackId = (): string => randomFrom(HEX, 13);
/** `verify_sign`: opaque, ~56 characters. */
export const newVerifySign = (): string => randomFrom(SIGN_CHARS, 56);
/** Hosted page session id (ours, not PayPal's). */
export const newSessionId = (): string => `EC-${randomFrom(UPPER_ALNUM, 17)}`;

const PACIFIC = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  month: 'short',
  day: '2-digit',
  year: 'numeric',
  timeZoneName: 'short',
});

/** PayPal's date format, always US/Pacific: `HH:MM:SS Mmm DD, YYYY PST|PDT` (protocol reference §8.1). */
export function paypalDate(epochMs: number): string {
  const parts = Object.fromEntries(PACIFIC.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}:${parts.second} ${parts.month} ${parts.day}, ${parts.year} ${parts.timeZoneName}`;
}
