import type { PaypalFaults } from './faults';
import { asciiName, decodePairs, findRaw, normalizeCharset, type RawPair } from './ipn-encoding';
import type { IpnSender } from './ipn-sender';

// PayPal answers 200, text/html; charset=UTF-8, body exactly VERIFIED or INVALID (protocol reference §7.1).
const HTML = { 'content-type': 'text/html; charset=UTF-8' };

export interface PostbackVerifierOptions {
  sender: IpnSender;
  faults: () => PaypalFaults;
  /** PayPal's edge refused UA-less postbacks with 403 in 2014–2015 (protocol reference §1). */
  requireUserAgent: boolean;
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

/**
 * The `cmd=_notify-validate` endpoint. `pairs` is the whole postback (body, or query string when the
 * body is empty). VERIFIED only when, once the `cmd` variable is removed wherever it stands, the
 * remaining variables decoded with the message's own `charset` are exactly, in order, an IPN this
 * simulator sent. `+` versus `%20` does not matter; re-encoding windows-1252 bytes as UTF-8 does.
 */
export async function answerPostback(
  request: Request,
  pairs: RawPair[],
  options: PostbackVerifierOptions,
): Promise<Response> {
  const fault = options.faults().postback ?? 'normal';
  if (options.requireUserAgent && !request.headers.get('user-agent')) {
    return new Response('<html><body><h1>403 Forbidden</h1></body></html>', { status: 403, headers: HTML });
  }
  if (fault === 'timeout') {
    await waitForAbortOr(options.faults().postbackHangMs ?? 35_000, request.signal);
    return new Response('<html><body><h1>504 Gateway Time-out</h1></body></html>', {
      status: 504,
      headers: HTML,
    });
  }
  if (fault === 'error500') {
    return new Response('<html><body><h1>500 Internal Server Error</h1></body></html>', {
      status: 500,
      headers: HTML,
    });
  }
  if (fault === 'fatal-html') {
    // Seen by django-paypal users (#117, #216): a 200 HTML page, neither VERIFIED nor INVALID.
    return new Response('<html><head><title>Fatal Failure</title></head><body>Fatal Failure</body></html>', {
      status: 200,
      headers: HTML,
    });
  }
  if (fault === 'INVALID') return new Response('INVALID', { status: 200, headers: HTML });

  const cmdIndex = pairs.findIndex(
    (pair) => asciiName(pair) === 'cmd' && findRaw([pair], 'cmd') === '_notify-validate',
  );
  const message = pairs.filter((_, index) => index !== cmdIndex);
  const charset = normalizeCharset(findRaw(message, 'charset') ?? 'windows-1252');
  const fields = charset ? decodePairs(message, charset) : null;
  const verified = fields !== null && options.sender.lookup(fields) !== undefined;
  return new Response(verified ? 'VERIFIED' : 'INVALID', { status: 200, headers: HTML });
}
