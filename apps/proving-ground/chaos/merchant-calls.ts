import type { ReconcileResult } from '@paybridge/core';
import type { Sandbox } from '@paybridge/sandbox';
import { type BrowserRedirect, hostedPageRequest } from './hosted-page';
import type { Scenario } from './scenarios';

/** What the driver's calls to the merchant need: where the shop is and how to reach it. */
export interface MerchantLink {
  shopUrl: string;
  /** Reaches the merchant's HTTP server (the bridge under /pay, back office under /ops). */
  merchantFetch: (request: Request) => Promise<Response>;
}

const MINUTE = 60_000;

/** Starts a payment through POST /start and opens the broker's hosted page, as a browser would. */
export async function startPayment(
  link: MerchantLink,
  sandbox: Sandbox,
  index: number,
  broker: Scenario['broker'],
): Promise<{ paymentId: string; session: string }> {
  const post = () =>
    link
      .merchantFetch(
        new Request(`${link.shopUrl}/pay/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ backend: broker, orderId: `${broker}-${index}` }),
        }),
      )
      .catch(() => null);
  // A failed start (store or broker down, merchant restarting) is clicked again by the buyer: a new payment.
  let response = await post();
  for (let attempt = 2; attempt <= 5 && response?.status !== 200; attempt++) {
    await response?.text();
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    response = await post();
  }
  if (response?.status !== 200) {
    throw new Error(`chaos: /start answered ${response?.status}: ${await response?.text()}`);
  }
  const { payment, redirect } = (await response.json()) as {
    payment: { id: string };
    redirect: BrowserRedirect;
  };
  const page = await sandbox.handler(hostedPageRequest(redirect));
  // P24's page names no session: its token is the last segment of the link (/trnRequest/{token}).
  const p24Token = broker === 'przelewy24' ? /\/trnRequest\/([^/?]+)/.exec(redirect.url)?.[1] : undefined;
  const session = page.headers.get('x-sandbox-session') ?? p24Token;
  if (page.status !== 200 || !session) throw new Error(`chaos: hosted page answered ${page.status}`);
  return { paymentId: payment.id, session };
}

interface OperatedPayment {
  status: string;
  refunds: Array<{ kind: string; status: string; request?: string }>;
}

/**
 * Whether the operation already took effect (an earlier attempt reached the broker, then failed on our
 * side). A refund the broker answered is the merchant's request done, settled or still pending at the
 * broker (Razorpay processes refunds later, Flutterwave may answer `pending`): its outcome comes by
 * notification or by a later check, never by asking again. A refund on record that is only our
 * reservation (`request: 'requested'`, the broker's answer never came back) is retried with the same
 * idempotency key, which the bridge sends as the same refund (Razorpay's idempotency header; for
 * Flutterwave, which takes none, the backend first adopts a refund that attempt already made).
 */
function done(op: string, payment: OperatedPayment | undefined): boolean {
  if (!payment) return false;
  if (op === 'capture') return payment.status === 'paid';
  return (
    payment.status === 'refunded' ||
    payment.refunds.some((r) => r.kind === 'refund' && r.status === 'pending' && r.request === 'accepted')
  );
}

/** One back-office call (`POST /ops/<name>/<id>`): whether it succeeded, what it said, the payment. */
async function backOffice(link: MerchantLink, name: string, paymentId: string) {
  const response = await link
    .merchantFetch(new Request(`${link.shopUrl}/ops/${name}/${paymentId}`, { method: 'POST' }))
    .catch((error: unknown) => String(error));
  if (typeof response === 'string') return { ok: false, text: response };
  const text = await response.text();
  const payment =
    response.status === 200 ? (JSON.parse(text) as { payment: OperatedPayment }).payment : undefined;
  return { ok: response.status === 200, text: `${response.status} ${text}`, payment };
}

/**
 * A back-office call retried as an operator would: after a failure, sync with the broker first.
 * `advance` lets a few minutes of the shared clock pass between attempts. Returns the attempts made.
 */
export async function operate(
  link: MerchantLink,
  advance: (ms: number) => Promise<void>,
  op: string,
  paymentId: string,
): Promise<number> {
  const call = (name: string) => backOffice(link, name, paymentId);
  let last = '';
  for (let attempt = 1; attempt <= 10; attempt++) {
    if (attempt > 1 && done(op, (await call('sync')).payment)) return attempt;
    const result = await call(op);
    if (result.ok) return attempt;
    last = result.text;
    if (process.env.CHAOS_DEBUG)
      console.error(`${op} ${paymentId} attempt ${attempt}: ${last.slice(0, 300)}`);
    // A notification the payment waits for may be in the broker's retry queue: let a few minutes pass.
    await advance(2 * MINUTE);
  }
  throw new Error(`chaos: ${op} of ${paymentId} failed 10 times (last: ${last.slice(0, 300)})`);
}

/**
 * The back office checks a payment's refunds with the broker (a sync), as it does for brokers that send
 * no refund notification, until none is left pending; a failed sync is tried again. Returns the attempts.
 */
export async function checkPendingRefunds(link: MerchantLink, paymentId: string): Promise<number> {
  let last = '';
  for (let attempt = 1; attempt <= 10; attempt++) {
    const result = await backOffice(link, 'sync', paymentId);
    if (result.payment && !result.payment.refunds.some((r) => r.status === 'pending')) return attempt;
    last = result.text;
  }
  throw new Error(`chaos: the refunds of ${paymentId} stayed pending (last: ${last.slice(0, 300)})`);
}

/** Tells the merchant how far the shared wall clock is ahead of this machine's (merchant-app.ts). */
export async function setMerchantClock(link: MerchantLink, offsetMs: number): Promise<void> {
  const response = await link.merchantFetch(
    new Request(`${link.shopUrl}/ops/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offsetMs }),
    }),
  );
  if (response.status !== 200) throw new Error(`chaos: /ops/clock answered ${response.status}`);
}

/** The one reconcile pass after the run (the merchant switches its injected faults off for it). */
export async function reconcileOnce(link: MerchantLink): Promise<ReconcileResult> {
  const response = await link.merchantFetch(new Request(`${link.shopUrl}/ops/reconcile`, { method: 'POST' }));
  if (response.status !== 200) throw new Error(`chaos: reconcile answered ${response.status}`);
  return (await response.json()) as ReconcileResult;
}
