/** Byte-level helpers of the CM-CIC simulator: form decoding, the bank's return encoding, HTML, dates. */

export interface DecodedForm {
  fields: Record<string, string>;
  /** Field names that appeared more than once (the bank refuses such forms). */
  duplicates: string[];
}

/** Decodes `application/x-www-form-urlencoded`, keeping empty values (`veres=` stays `""`). */
export function decodeForm(body: string): DecodedForm {
  const fields: Record<string, string> = {};
  const duplicates: string[] = [];
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(fields, name)) duplicates.push(name);
    else fields[name] = value;
  }
  return { fields, duplicates };
}

/** Reads the fields of a browser request: POSTed form (url-encoded or multipart) or, for GET, the query. */
export async function readBrowserForm(request: Request): Promise<DecodedForm> {
  if (request.method === 'GET' || request.method === 'HEAD') {
    return decodeForm(new URL(request.url).search);
  }
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('multipart/form-data')) {
    const form = await request.formData();
    const fields: Record<string, string> = {};
    const duplicates: string[] = [];
    for (const [name, value] of form) {
      if (typeof value !== 'string') continue;
      if (Object.hasOwn(fields, name)) duplicates.push(name);
      else fields[name] = value;
    }
    return { fields, duplicates };
  }
  return decodeForm(await request.text());
}

/**
 * The bank's own url-encoding, as in the doc v3.0 sample return (reference §4.1): lowercase `%xx` for
 * everything but letters, digits, `-` and `*` (so `.`→`%2e`, `_`→`%5f`, `/`→`%2f`), space as `+`;
 * field names written literally. A merchant decoding with a standard form parser must get the values back.
 */
export function bankEncode(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields.map(([name, value]) => `${name}=${bankEncodeValue(value)}`).join('&');
}

function bankEncodeValue(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9*-]/.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

interface DateParts {
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
  second: string;
}

function dateParts(at: number, timeZone: string): DateParts {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return {
    day: get('day'),
    month: get('month'),
    year: get('year'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The return's `date`: `DD/MM/YYYY_a_HH:MM:SS` (literal `_a_`), bank time (reference §4.3). */
export function returnDate(at: number, timeZone: string): string {
  const p = dateParts(at, timeZone);
  return `${p.day}/${p.month}/${p.year}_a_${p.hour}:${p.minute}:${p.second}`;
}

/** Card expiry `MMYY` for `vld`. */
export function expiryMmYy(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}${String(year % 100).padStart(2, '0')}`;
}

/** Parses `DD/MM/YYYY` into a UTC day number (ms), or null when it is not a real date. */
export function parseDay(value: string): { day: number; month: number; year: number } | null {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (!match) return null;
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = Number(match[3]);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  return { day, month, year };
}

/** Parses the request `date` (`DD/MM/YYYY:HH:MM:SS`, merchant local time) as if it were UTC. */
export function parseRequestDate(value: string): number | null {
  const match = /^(\d{2}\/\d{2}\/\d{4}):(\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const day = parseDay(match[1] as string);
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4])];
  if (!day || hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(day.year, day.month - 1, day.day, hour, minute, second);
}
