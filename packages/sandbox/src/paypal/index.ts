import { PAYPAL_PLAIN_TEXT, withOwnHeaders } from '../lib/response';
import type { BrokerSimulator, BrowserStep, SimulatorEnv } from '../lib/simulator';
import { createPaypalApi } from './api';
import { toRecord } from './browser-return';
import { createCheckoutFlow, type PaypalAction, type PaypalActOptions } from './checkout-flow';
import { bounded, errorPage } from './checkout-page';
import { type PaypalAccount, type SubscriptionTerm, validateCheckout } from './checkout-request';
import type { PaypalFaults } from './faults';
import { asciiName, decodePairs, findRaw, normalizeCharset, parseFormBytes } from './ipn-encoding';
import { createIpnSender, type PaypalIpnRecord } from './ipn-sender';
import { createLedger, defaultFee, type PaypalTransactionRecord } from './ledger';
import type { PaypalApiCall } from './nvp-api';
import { createPdt } from './pdt';
import { answerPostback } from './postback-verifier';
import {
  createSubscriptionBook,
  type PaypalSubscriptionRecord,
  type RecurringEvent,
} from './subscription-book';

export { DEFAULT_MAX_NVP_VERSION, DEFAULT_PAYPAL_API_CREDENTIALS } from './api';
export type { PaypalAccount } from './checkout-request';
export type { PaypalFaults } from './faults';
export type { PaypalCharset } from './ipn-encoding';
export type { PaypalIpnRecord } from './ipn-sender';
export type { PaypalTransactionRecord } from './ledger';
export type { NvpEndpoint, PaypalApiCall, PaypalApiCredential } from './nvp-api';
export type { PaypalAutoReturn } from './pdt';
export type { PostbackComparison } from './postback-verifier';
export type { PaypalSimulatorOptions } from './simulator-options';
export type { PaypalSubscriptionRecord, ProfileCancelIpn, RecurringEvent } from './subscription-book';

import type { PaypalSimulatorOptions } from './simulator-options';

export type { PaypalAction, PaypalActOptions } from './checkout-flow';

export interface PaypalSimulator extends BrokerSimulator {
  faults: PaypalFaults;
  act(sessionId: string, action: PaypalAction, options?: PaypalActOptions): Promise<BrowserStep>;
  completePending(txnId: string): void;
  denyPending(txnId: string): void;
  failPending(txnId: string): void;
  refund(txnId: string, amount?: string): void;
  reverse(txnId: string, reasonCode?: string): void;
  cancelReversal(txnId: string): void;
  failSubscriptionPayment(subscrId: string): void;
  cancelSubscription(subscrId: string): void;
  endSubscription(subscrId: string): void;
  modifySubscription(subscrId: string, changes?: { amount?: string; period?: SubscriptionTerm }): void;
  /** PayPal reports a `recurring_payment_*` event (§8 of the API reference) and the profile changes with it. */
  recurringPaymentEvent(subscrId: string, event: RecurringEvent): void;
  /** Manual re-send from IPN History: same variables plus `resend=true`. */
  resendIpn(ipnTrackId: string): void;
  transactions(): PaypalTransactionRecord[];
  subscriptions(): PaypalSubscriptionRecord[];
  ipns(): PaypalIpnRecord[];
  /** Every NVP API call with its ACK and error codes. */
  apiCalls(): PaypalApiCall[];
}

export const DEFAULT_PAYPAL_ACCOUNT: PaypalAccount = {
  business: 'merchant@example.com',
  receiverId: 'MERCHANT12345',
};

/** The variables' raw bytes: the body, or the query string of a GET link (or of an empty POST). */
async function readForm(request: Request, url: URL): Promise<Uint8Array> {
  // Raw bytes once: the postback must be compared as PayPal would, before any charset decision.
  const body = request.method === 'POST' ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array(0);
  if (body.length > 0) return body;
  return new TextEncoder().encode(url.search.replace(/^\?/, ''));
}

const isCmd = (pairs: ReturnType<typeof parseFormBytes>, cmd: string) =>
  pairs.some((pair) => asciiName(pair) === 'cmd' && findRaw([pair], 'cmd') === cmd);

export function createPaypalSimulator(
  env: SimulatorEnv,
  options: PaypalSimulatorOptions = {},
): PaypalSimulator {
  const accounts = options.accounts?.length ? options.accounts : [DEFAULT_PAYPAL_ACCOUNT];
  const faults: PaypalFaults = options.faults ?? {};
  const sender = createIpnSender(env, {
    mode: options.mode ?? 'sandbox',
    charset: options.charset ?? 'windows-1252',
    faults: () => simulator.faults,
    ...(options.ipnTimeoutMs === undefined ? {} : { timeoutMs: options.ipnTimeoutMs }),
  });
  const ledger = createLedger(env.clock, sender, options.fee ?? defaultFee, options.refundFee);
  const book = createSubscriptionBook(
    env.clock,
    sender,
    ledger,
    () => simulator.faults,
    options.profileCancelIpn,
  );
  // Renewals first, so IPNs they create under the reorder fault are released in the same flush.
  env.queue.onFlush(() => {
    book.tick();
    sender.releaseReordered();
  });
  const api = createPaypalApi({
    clock: env.clock,
    accounts,
    ...(options.apiCredentials ? { credentials: options.apiCredentials } : {}),
    ...(options.maxApiVersion === undefined ? {} : { maxVersion: options.maxApiVersion }),
    faults: () => simulator.faults,
    ledger,
    book,
  });
  const token = options.autoReturn?.pdtIdentityToken;
  const pdt = token
    ? createPdt({
        identityToken: token,
        charset: () => simulator.faults.charset ?? options.charset ?? 'windows-1252',
        transaction: (txnId) => ledger.fields(txnId),
      })
    : null;
  const checkout = createCheckoutFlow({
    env,
    ledger,
    book,
    pdt,
    autoReturn: options.autoReturn !== undefined,
  });

  async function handleWebscr(request: Request, url: URL): Promise<Response> {
    const raw = await readForm(request, url);
    const pairs = parseFormBytes(raw);
    if (isCmd(pairs, '_notify-validate')) {
      return answerPostback(request, raw, {
        sender,
        faults: () => simulator.faults,
        requireUserAgent: options.requireUserAgent ?? false,
        comparison: options.postbackComparison ?? 'bytes',
        ...(options.verifiableForMs === undefined ? {} : { verifiableForMs: options.verifiableForMs }),
        now: () => env.clock.now(),
      });
    }
    if (isCmd(pairs, '_notify-synch')) {
      // PDT off: PayPal has no identity token to match, so every lookup fails.
      return pdt ? pdt.answer(pairs) : withOwnHeaders('FAIL\nError: 4003', 200, PAYPAL_PLAIN_TEXT);
    }
    // Button values arrive in the button's `charset` (UTF-8 pages by default).
    const charset = normalizeCharset(findRaw(pairs, 'charset') ?? 'UTF-8');
    if (!charset) {
      return errorPage(400, 'Unsupported charset', [`charset ${bounded(findRaw(pairs, 'charset') ?? '')}`]);
    }
    const result = validateCheckout(toRecord(decodePairs(pairs, charset)), accounts);
    if ('errors' in result) return errorPage(400, 'This PayPal button has errors', result.errors);
    return checkout.open(result.order);
  }

  const simulator: PaypalSimulator = {
    faults,
    async handle(request, path) {
      const url = new URL(request.url);
      if (path === '/cgi-bin/webscr') return handleWebscr(request, url);
      if (path === '/nvp' || path === '/cert/nvp')
        return api.handle(request, path === '/nvp' ? 'signature' : 'certificate');
      const session = /^\/checkout\/([A-Za-z0-9-]+)$/.exec(path);
      if (session) return checkout.handle(request, session[1] as string);
      return new Response('Not found in the PayPal sandbox', { status: 404 });
    },
    act: checkout.act,
    completePending: (txnId) => void ledger.completePending(txnId),
    denyPending: (txnId) => void ledger.denyPending(txnId),
    failPending: (txnId) => void ledger.failPending(txnId),
    refund: (txnId, amount) => void ledger.refund(txnId, amount),
    reverse: (txnId, reasonCode) => void ledger.reverse(txnId, reasonCode),
    cancelReversal: (txnId) => void ledger.cancelReversal(txnId),
    failSubscriptionPayment: (subscrId) => void book.fail(subscrId),
    cancelSubscription: (subscrId) => void book.cancel(subscrId),
    endSubscription: (subscrId) => void book.end(subscrId),
    modifySubscription: (subscrId, changes) => void book.modify(subscrId, changes),
    recurringPaymentEvent: (subscrId, event) => void book.recurring(subscrId, event),
    resendIpn: (ipnTrackId) => void sender.resend(ipnTrackId),
    transactions: () => ledger.list(),
    subscriptions: () => book.list(),
    ipns: () => sender.records(),
    apiCalls: () => api.calls(),
  };
  return simulator;
}
