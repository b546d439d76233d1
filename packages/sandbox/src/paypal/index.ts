import { crossSiteRefusal, forbiddenPage } from '../lib/http-guard';
import { type BrokerSimulator, type BrowserStep, SESSION_HEADER, type SimulatorEnv } from '../lib/simulator';
import { createPaypalApi } from './api';
import { buyerReturn, toRecord } from './browser-return';
import { bounded, browserStepResponse, checkoutPageHtml, errorPage, noticePage } from './checkout-page';
import {
  type CheckoutOrder,
  type PaypalAccount,
  type SubscriptionTerm,
  validateCheckout,
} from './checkout-request';
import type { PaypalFaults } from './faults';
import { newAccountId, newSessionId } from './ids';
import {
  asciiName,
  decodePairs,
  type FormPairs,
  findRaw,
  normalizeCharset,
  parseFormBytes,
} from './ipn-encoding';
import type { Payer } from './ipn-messages';
import { createIpnSender, type PaypalIpnRecord, type SentIpn } from './ipn-sender';
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

export type PaypalAction = 'pay' | 'cancel' | 'pending' | 'deny' | 'fail';

export interface PaypalActOptions {
  buyer?: { firstName?: string; lastName?: string; email?: string };
  /** `pending_reason` of a pending payment (default `echeck`). */
  pendingReason?: string;
}

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

interface CheckoutSession {
  order: CheckoutOrder;
  outcome: PaypalAction | null;
}

/** The variables' raw bytes: the body, or the query string of a GET link (or of an empty POST). */
async function readForm(request: Request, url: URL): Promise<Uint8Array> {
  // Raw bytes once: the postback must be compared as PayPal would, before any charset decision.
  const body = request.method === 'POST' ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array(0);
  if (body.length > 0) return body;
  return new TextEncoder().encode(url.search.replace(/^\?/, ''));
}

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
  const sessions = new Map<string, CheckoutSession>();
  const payerIds = new Map<string, string>();

  function payerOf(buyer: PaypalActOptions['buyer'] = {}): Payer {
    const email = buyer.email ?? 'buyer@example.com';
    let payerId = payerIds.get(email.toLowerCase());
    if (!payerId) {
      payerId = newAccountId();
      payerIds.set(email.toLowerCase(), payerId);
    }
    return { firstName: buyer.firstName ?? 'John', lastName: buyer.lastName ?? 'Doe', email, payerId };
  }

  /** Shown on the checkout page when the button's notify_url is outside the delivery allow-list. */
  const deliveryNotice = (order: CheckoutOrder): string | null => {
    const notifyUrl = order.vars.notify_url;
    return notifyUrl ? env.queue.refusal(notifyUrl) : null;
  };

  const returnStep = (order: CheckoutOrder, ipn: SentIpn | null, fallback: FormPairs) =>
    buyerReturn(order, ipn?.fields ?? fallback, { autoReturn: options.autoReturn !== undefined, pdt });

  async function act(sessionId: string, action: PaypalAction, actOptions: PaypalActOptions = {}) {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`No PayPal checkout session ${sessionId}`);
    if (session.outcome) throw new Error(`Checkout ${sessionId} already ended (${session.outcome})`);
    const { order } = session;
    session.outcome = action;
    if (action === 'cancel') {
      const cancelUrl = order.vars.cancel_return;
      return cancelUrl
        ? ({ method: 'GET', url: cancelUrl } as const)
        : ({ method: 'NONE', html: noticePage('Payment cancelled', 'You cancelled.') } as const);
    }
    const payer = payerOf(actOptions.buyer);
    if (order.plan) {
      if (action === 'deny' || action === 'fail') {
        // A subscription whose first charge is refused is not created, and no IPN is sent.
        return {
          method: 'NONE',
          html: noticePage('Payment declined', 'The funding source was declined.'),
        } as const;
      }
      const pending = action === 'pending' ? (actOptions.pendingReason ?? 'echeck') : undefined;
      const { signupIpn, payment } = book.signup(order, payer, pending);
      return returnStep(order, payment?.ipn ?? signupIpn, signupIpn?.fields ?? []);
    }
    const pendingReason =
      action === 'pay'
        ? undefined
        : (actOptions.pendingReason ?? (action === 'deny' ? 'paymentreview' : 'echeck'));
    const { tx, ipn } = ledger.pay(order, payer, order.grossMinor, {
      status: pendingReason ? 'Pending' : 'Completed',
      ...(pendingReason ? { pendingReason } : {}),
    });
    if (action === 'deny') ledger.denyPending(tx.txnId);
    if (action === 'fail') ledger.failPending(tx.txnId);
    // Without notify_url there is no IPN, but the return still describes the payment.
    return returnStep(order, ipn, ledger.fields(tx.txnId) ?? []);
  }

  async function handleWebscr(request: Request, url: URL): Promise<Response> {
    const raw = await readForm(request, url);
    const pairs = parseFormBytes(raw);
    const isPostback = pairs.some(
      (pair) => asciiName(pair) === 'cmd' && findRaw([pair], 'cmd') === '_notify-validate',
    );
    if (isPostback) {
      return answerPostback(request, raw, {
        sender,
        faults: () => simulator.faults,
        requireUserAgent: options.requireUserAgent ?? false,
        comparison: options.postbackComparison ?? 'bytes',
        ...(options.verifiableForMs === undefined ? {} : { verifiableForMs: options.verifiableForMs }),
        now: () => env.clock.now(),
      });
    }
    if (pairs.some((pair) => asciiName(pair) === 'cmd' && findRaw([pair], 'cmd') === '_notify-synch')) {
      // PDT off: PayPal has no identity token to match, so every lookup fails.
      return pdt ? pdt.answer(pairs) : new Response('FAIL\nError: 4003', { status: 200 });
    }
    // Button values arrive in the button's `charset` (UTF-8 pages by default).
    const charset = normalizeCharset(findRaw(pairs, 'charset') ?? 'UTF-8');
    if (!charset) {
      return errorPage(400, 'Unsupported charset', [`charset ${bounded(findRaw(pairs, 'charset') ?? '')}`]);
    }
    const result = validateCheckout(toRecord(decodePairs(pairs, charset)), accounts);
    if ('errors' in result) return errorPage(400, 'This PayPal button has errors', result.errors);
    const sessionId = newSessionId();
    sessions.set(sessionId, { order: result.order, outcome: null });
    return new Response(
      checkoutPageHtml(result.order, `${env.baseUrl}/checkout/${sessionId}`, deliveryNotice(result.order)),
      {
        status: 200,
        headers: { 'content-type': 'text/html; charset=UTF-8', [SESSION_HEADER]: sessionId },
      },
    );
  }

  async function handleCheckoutAction(request: Request, sessionId: string): Promise<Response> {
    const session = sessions.get(sessionId);
    if (!session) return errorPage(404, 'Checkout not found', [sessionId]);
    if (request.method !== 'POST') {
      return new Response(
        checkoutPageHtml(
          session.order,
          `${env.baseUrl}/checkout/${sessionId}`,
          deliveryNotice(session.order),
        ),
        {
          status: 200,
          headers: { 'content-type': 'text/html; charset=UTF-8', [SESSION_HEADER]: sessionId },
        },
      );
    }
    const crossSite = crossSiteRefusal(request, new URL(env.baseUrl).origin);
    if (crossSite) return forbiddenPage(crossSite);
    const form = toRecord(decodePairs(parseFormBytes(new Uint8Array(await request.arrayBuffer())), 'UTF-8'));
    const action = form.action as PaypalAction;
    if (!['pay', 'cancel', 'pending', 'deny', 'fail'].includes(action)) {
      return errorPage(400, 'Unknown action', [String(form.action)]);
    }
    if (session.outcome) return errorPage(409, 'This checkout has already ended', [session.outcome]);
    const step = await act(sessionId, action, {
      buyer: {
        ...(form.first_name ? { firstName: form.first_name } : {}),
        ...(form.last_name ? { lastName: form.last_name } : {}),
        ...(form.email ? { email: form.email } : {}),
      },
      ...(form.pending_reason ? { pendingReason: form.pending_reason } : {}),
    });
    return browserStepResponse(step);
  }

  const simulator: PaypalSimulator = {
    faults,
    async handle(request, path) {
      const url = new URL(request.url);
      if (path === '/cgi-bin/webscr') return handleWebscr(request, url);
      if (path === '/nvp' || path === '/cert/nvp')
        return api.handle(request, path === '/nvp' ? 'signature' : 'certificate');
      const checkout = /^\/checkout\/([A-Za-z0-9-]+)$/.exec(path);
      if (checkout) return handleCheckoutAction(request, checkout[1] as string);
      return new Response('Not found in the PayPal sandbox', { status: 404 });
    },
    act,
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
