import type { BackendFetch } from '@paybridge/core';
import { utf8 } from '@paybridge/core/kit';

/** The IPN verification postback hosts PayPal recommends (protocols/paypal.md §1; django-paypal#233). */
export const POSTBACK_HOSTS = {
  live: 'https://ipnpb.paypal.com',
  test: 'https://ipnpb.sandbox.paypal.com',
} as const;

export type PostbackResult =
  | { verdict: 'VERIFIED' }
  | { verdict: 'INVALID' }
  /** Anything else: a transport error, a timeout, a 5xx, an HTML "Fatal Failure" page (§7.1.4). */
  | { verdict: 'FAILED'; reason: string };

export interface PostbackOptions {
  /** Full URL, `<host>/cgi-bin/webscr`. */
  url: string;
  userAgent: string;
  timeoutMs: number;
  attempts: number;
  paymentId?: string | null;
}

const PREFIX = utf8('cmd=_notify-validate&');

/**
 * The body PayPal verifies: `cmd=_notify-validate&` followed by the received bytes, untouched.
 * Re-serialising parsed values breaks windows-1252 text and literal `+` signs (§7.2).
 */
export function postbackBody(received: Uint8Array): Uint8Array {
  const body = new Uint8Array(PREFIX.length + received.length);
  body.set(PREFIX, 0);
  body.set(received, PREFIX.length);
  return body;
}

async function attempt(
  fetch: BackendFetch,
  body: Uint8Array,
  options: PostbackOptions,
): Promise<PostbackResult> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // ctx.fetch has its own timeout; this one keeps the backend's promise bounded whatever the fetch does.
  const timeout = new Promise<PostbackResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ verdict: 'FAILED', reason: `postback timed out after ${options.timeoutMs} ms` });
    }, options.timeoutMs);
  });
  const call = (async (): Promise<PostbackResult> => {
    const response = await fetch(
      options.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': options.userAgent,
        },
        body: body as BodyInit,
        signal: controller.signal,
      },
      { kind: 'ipn-postback', paymentId: options.paymentId ?? null, timeoutMs: options.timeoutMs },
    );
    const text = await response.text();
    // Exactly "VERIFIED" or "INVALID" with a 200 (§7.1.3); an HTML page containing the word is neither.
    if (response.status === 200 && text === 'VERIFIED') return { verdict: 'VERIFIED' };
    if (response.status === 200 && text === 'INVALID') return { verdict: 'INVALID' };
    return { verdict: 'FAILED', reason: `postback answered ${response.status} "${text.slice(0, 60)}"` };
  })().catch(
    (error: unknown): PostbackResult => ({
      verdict: 'FAILED',
      reason: `postback failed: ${error instanceof Error ? error.message : String(error)}`,
    }),
  );
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ask PayPal whether it sent these exact bytes. Retries transient failures, never INVALID. */
export async function verifyIpn(
  fetch: BackendFetch,
  received: Uint8Array,
  options: PostbackOptions,
): Promise<PostbackResult> {
  const body = postbackBody(received);
  let result: PostbackResult = { verdict: 'FAILED', reason: 'no postback attempted' };
  for (let i = 0; i < options.attempts; i++) {
    result = await attempt(fetch, body, options);
    if (result.verdict !== 'FAILED') return result;
  }
  return result;
}
