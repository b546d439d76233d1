import { expect } from 'vitest';
import type { E2e } from './harness';

/**
 * The buyer's way to a broker's hosted page: the `/start` answer must redirect (GET) to a URL that
 * starts with `pageUrl`, and the simulator must serve that page. Returns our payment id, the page's
 * URL and the simulator's answer (its `x-sandbox-session` header names the broker's session).
 */
export async function openHostedPage(e2e: E2e, response: Response, pageUrl: string) {
  expect(response.status).toBe(200);
  const { payment, redirect } = (await response.json()) as {
    payment: { id: string };
    redirect: { method: string; url: string };
  };
  expect(redirect.method).toBe('GET');
  expect(redirect.url.startsWith(pageUrl)).toBe(true);
  const page = await e2e.sandbox.handler(new Request(redirect.url));
  expect(page.status).toBe(200);
  return { paymentId: payment.id, url: redirect.url, page };
}

/** The shop's next order (`order-<n>`) started with `backend`, on to its hosted page (`openHostedPage`). */
export const startOnHostedPage = async (e2e: E2e, backend: string, pageUrl: string) =>
  openHostedPage(e2e, await e2e.startNextOrder(backend), pageUrl);

/** The last path segment of a hosted page's URL: the session, token or link id most brokers put there. */
export const lastSegment = (url: string) => new URL(url).pathname.split('/').at(-1) as string;
