/**
 * The NVP wire format (protocol reference paypal-api.md §2): form-encoded requests, form-encoded answers
 * with ACK, TIMESTAMP, CORRELATIONID, VERSION and BUILD, and PayPal's `L_ERRORCODEn` error lists.
 */

import { PLAIN_TEXT, withOwnHeaders } from '../lib/response';

export type NvpPairs = Array<[string, string]>;

export interface NvpError {
  code: string;
  short: string;
  long: string;
  severity: 'Error' | 'Warning';
}

/** The build number every answer carries (PayPal's changes with each release; ours is fixed). */
export const NVP_BUILD = '58807128';

const HEX = '0123456789abcdef';

/** 13 lowercase hex characters, as PayPal's CORRELATIONID values look. */
export function newCorrelationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(13));
  let out = '';
  for (const byte of bytes) out += HEX[byte % 16];
  return out;
}

/**
 * PayPal percent-encodes every character of a value but letters and digits, in lowercase hex
 * (`2019%2d02%2d07T…`, `78%2e0`); names (`L_ERRORCODE0`) are written as they are.
 */
export function nvpEncode(pairs: NvpPairs): string {
  const encode = (text: string) =>
    Array.from(new TextEncoder().encode(text), (byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9]/.test(char) ? char : `%${byte.toString(16).padStart(2, '0')}`;
    }).join('');
  return pairs.map(([name, value]) => `${name}=${encode(value)}`).join('&');
}

/** A request body's fields (UTF-8); a repeated name keeps its first value, as the API reads one. */
export function nvpParse(body: Uint8Array): Map<string, string> {
  const fields = new Map<string, string>();
  const text = new TextDecoder('utf-8').decode(body);
  for (const [name, value] of new URLSearchParams(text)) {
    if (!fields.has(name)) fields.set(name, value);
  }
  return fields;
}

/** ISO-8601 UTC without milliseconds, as NVP writes every date (`2011-06-24T05:38:48Z`). */
export const nvpDate = (epochMs: number): string => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Parses an NVP request date (UTC ISO-8601, `Z` suffix); undefined when it is not one. */
export function parseNvpDate(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface Envelope {
  now: number;
  correlationId: string;
  /** The request's VERSION, echoed (empty when it had none). */
  version: string;
}

function common(envelope: Envelope, ack: string): NvpPairs {
  return [
    ['TIMESTAMP', nvpDate(envelope.now)],
    ['CORRELATIONID', envelope.correlationId],
    ['ACK', ack],
    ['VERSION', envelope.version],
    ['BUILD', NVP_BUILD],
  ];
}

function errorList(errors: NvpError[]): NvpPairs {
  return errors.flatMap(
    (error, index): NvpPairs => [
      [`L_ERRORCODE${index}`, error.code],
      [`L_SHORTMESSAGE${index}`, error.short],
      [`L_LONGMESSAGE${index}`, error.long],
      [`L_SEVERITYCODE${index}`, error.severity],
    ],
  );
}

/** A successful answer: the operation's fields, then the common ones (and warnings, if any). */
export function successPairs(envelope: Envelope, fields: NvpPairs, warnings: NvpError[] = []): NvpPairs {
  return [
    ...fields,
    ...common(envelope, warnings.length > 0 ? 'SuccessWithWarning' : 'Success'),
    ...errorList(warnings),
  ];
}

/** A refusal: the common fields, then the error list. */
export function failurePairs(envelope: Envelope, errors: NvpError[]): NvpPairs {
  return [...common(envelope, 'Failure'), ...errorList(errors)];
}

/** NVP answers are always HTTP 200 with a form-encoded body (labelled text/plain, as PayPal does). */
export function nvpResponse(pairs: NvpPairs): Response {
  return withOwnHeaders(nvpEncode(pairs), 200, PLAIN_TEXT);
}
