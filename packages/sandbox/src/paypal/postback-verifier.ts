import { PAYPAL_HTML, withOwnHeaders } from '../lib/response';
import type { PaypalFaults } from './faults';
import { asciiName, decodePairs, findRaw, normalizeCharset, parseFormBytes } from './ipn-encoding';
import type { IpnSender, SentIpn } from './ipn-sender';

// PayPal answers 200, text/html; charset=UTF-8, body exactly VERIFIED or INVALID (protocol reference §7.1).

/**
 * How a postback is compared with the IPN it echoes. `bytes`: after removing the `cmd` variable, the
 * remaining bytes must be the IPN body exactly (what a listener that echoes the raw body sends).
 * `values`: the variables decoded with the message's charset must match in order, so `+` versus `%20`
 * does not matter — PayPal's observed leniency (protocol reference §7.2, inference).
 */
export type PostbackComparison = 'bytes' | 'values';

export interface PostbackVerifierOptions {
  sender: IpnSender;
  faults: () => PaypalFaults;
  /** PayPal's edge refused UA-less postbacks with 403 in 2014–2015 (protocol reference §1). */
  requireUserAgent: boolean;
  comparison: PostbackComparison;
  /** How long after it was sent a message still VERIFIES (unbounded when absent; UNCONFIRMED, §7.1). */
  verifiableForMs?: number;
  now: () => number;
}

function waitForAbortOr(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const htmlPage = (status: number, title: string) =>
  withOwnHeaders(
    `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
    status,
    PAYPAL_HTML,
  );

/** The raw `&`-separated segments of a form body, undecoded. */
function segments(raw: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let index = 0; index <= raw.length; index++) {
    if (index === raw.length || raw[index] === 0x26) {
      parts.push(raw.subarray(start, index));
      start = index + 1;
    }
  }
  return parts;
}

function isCmdSegment(segment: Uint8Array): boolean {
  const [pair] = parseFormBytes(segment);
  return pair !== undefined && asciiName(pair) === 'cmd' && findRaw([pair], 'cmd') === '_notify-validate';
}

/** The postback without its one `cmd=_notify-validate` segment (at any position), bytes untouched. */
function withoutCmd(raw: Uint8Array): Uint8Array | null {
  const parts = segments(raw);
  const cmdIndex = parts.findIndex(isCmdSegment);
  if (cmdIndex < 0) return null;
  const rest = parts.filter((_, index) => index !== cmdIndex);
  const out = new Uint8Array(Math.max(0, rest.reduce((n, part) => n + part.length + 1, 0) - 1));
  let offset = 0;
  rest.forEach((part, index) => {
    if (index > 0) out[offset++] = 0x26;
    out.set(part, offset);
    offset += part.length;
  });
  return out;
}

function sentMessage(message: Uint8Array, options: PostbackVerifierOptions): SentIpn | undefined {
  if (options.comparison === 'bytes') return options.sender.lookupBody(message);
  const pairs = parseFormBytes(message);
  const charset = normalizeCharset(findRaw(pairs, 'charset') ?? 'windows-1252');
  return charset === null ? undefined : options.sender.lookup(decodePairs(pairs, charset));
}

function isGenuine(message: Uint8Array, options: PostbackVerifierOptions): boolean {
  const sent = sentMessage(message, options);
  if (!sent) return false;
  return options.verifiableForMs === undefined || options.now() - sent.sentAt <= options.verifiableForMs;
}

/**
 * The `cmd=_notify-validate` endpoint. `raw` is the whole postback (body, or query string when the
 * body is empty). VERIFIED only when, once the `cmd` variable is removed wherever it stands, the rest is
 * an IPN this simulator sent: byte for byte by default, or by decoded ordered values (`comparison`).
 */
export async function answerPostback(
  request: Request,
  raw: Uint8Array,
  options: PostbackVerifierOptions,
): Promise<Response> {
  const fault = options.faults().postback ?? 'normal';
  if (options.requireUserAgent && !request.headers.get('user-agent')) return htmlPage(403, '403 Forbidden');
  if (fault === 'timeout') {
    await waitForAbortOr(options.faults().postbackHangMs ?? 35_000, request.signal);
    return htmlPage(504, '504 Gateway Time-out');
  }
  if (fault === 'error500') return htmlPage(500, '500 Internal Server Error');
  // Seen by django-paypal users (#117, #216): a 400 page, or a 200 HTML page neither VERIFIED nor INVALID.
  if (fault === 'error400') return htmlPage(400, '400 Bad Request');
  if (fault === 'fatal-html') return htmlPage(200, 'Fatal Failure');
  if (fault === 'INVALID') return withOwnHeaders('INVALID', 200, PAYPAL_HTML);
  const delay = options.faults().postbackDelayMs ?? 0;
  if (delay > 0) {
    await waitForAbortOr(delay, request.signal);
    // A caller that gave up gets nothing useful: the answer it abandoned.
    if (request.signal.aborted) return htmlPage(504, '504 Gateway Time-out');
  }

  const message = withoutCmd(raw);
  const verified = message !== null && isGenuine(message, options);
  return withOwnHeaders(verified ? 'VERIFIED' : 'INVALID', 200, PAYPAL_HTML);
}
