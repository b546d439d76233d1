import { crossSiteRefusal, forbiddenPage } from '../lib/http-guard';
import { PAYPAL_HTML, withOwnHeaders } from '../lib/response';
import { type BrowserStep, SESSION_HEADER, type SimulatorEnv } from '../lib/simulator';
import { buyerReturn, toRecord } from './browser-return';
import { browserStepResponse, checkoutPageHtml, errorPage, noticePage } from './checkout-page';
import type { CheckoutOrder } from './checkout-request';
import { newAccountId, newSessionId } from './ids';
import { decodePairs, type FormPairs, parseFormBytes } from './ipn-encoding';
import type { Payer } from './ipn-messages';
import type { SentIpn } from './ipn-sender';
import type { Ledger } from './ledger';
import type { Pdt } from './pdt';
import type { SubscriptionBook } from './subscription-book';

export type PaypalAction = 'pay' | 'cancel' | 'pending' | 'deny' | 'fail';

export interface PaypalActOptions {
  buyer?: { firstName?: string; lastName?: string; email?: string };
  /** `pending_reason` of a pending payment (default `echeck`). */
  pendingReason?: string;
}

const ACTIONS: readonly string[] = ['pay', 'cancel', 'pending', 'deny', 'fail'] satisfies PaypalAction[];

interface CheckoutSession {
  order: CheckoutOrder;
  outcome: PaypalAction | null;
}

export interface CheckoutFlowOptions {
  env: SimulatorEnv;
  ledger: Ledger;
  book: SubscriptionBook;
  /** PDT when the account has an identity token, else null. */
  pdt: Pdt | null;
  /** Auto Return on: the buyer always comes back with a GET (protocol reference §4). */
  autoReturn: boolean;
}

/**
 * The buyer's side of a checkout: a validated button opens a session, the buyer (or a test through
 * `act`) pays, cancels or leaves a payment pending, and the flow answers with the way back to the shop.
 */
export function createCheckoutFlow({ env, ledger, book, pdt, autoReturn }: CheckoutFlowOptions) {
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
    buyerReturn(order, ipn?.fields ?? fallback, { autoReturn, pdt });

  const checkoutPage = (sessionId: string, order: CheckoutOrder) =>
    withOwnHeaders(
      checkoutPageHtml(order, `${env.baseUrl}/checkout/${sessionId}`, deliveryNotice(order)),
      200,
      PAYPAL_HTML,
      { [SESSION_HEADER]: sessionId },
    );

  async function act(
    sessionId: string,
    action: PaypalAction,
    actOptions: PaypalActOptions = {},
  ): Promise<BrowserStep> {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`No PayPal checkout session ${sessionId}`);
    if (session.outcome) throw new Error(`Checkout ${sessionId} already ended (${session.outcome})`);
    const { order } = session;
    session.outcome = action;
    if (action === 'cancel') {
      const cancelUrl = order.vars.cancel_return;
      return cancelUrl
        ? { method: 'GET', url: cancelUrl }
        : { method: 'NONE', html: noticePage('Payment cancelled', 'You cancelled.') };
    }
    const payer = payerOf(actOptions.buyer);
    if (order.plan) {
      if (action === 'deny' || action === 'fail') {
        // A subscription whose first charge is refused is not created, and no IPN is sent.
        return { method: 'NONE', html: noticePage('Payment declined', 'The funding source was declined.') };
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

  return {
    act,

    /** A valid button: a new session and its checkout page. */
    open(order: CheckoutOrder): Response {
      const sessionId = newSessionId();
      sessions.set(sessionId, { order, outcome: null });
      return checkoutPage(sessionId, order);
    },

    /** `/checkout/:session`: the page again on GET, the buyer's choice on POST. */
    async handle(request: Request, sessionId: string): Promise<Response> {
      const session = sessions.get(sessionId);
      if (!session) return errorPage(404, 'Checkout not found', [sessionId]);
      if (request.method !== 'POST') return checkoutPage(sessionId, session.order);
      const crossSite = crossSiteRefusal(request, new URL(env.baseUrl).origin);
      if (crossSite) return forbiddenPage(crossSite);
      const form = toRecord(
        decodePairs(parseFormBytes(new Uint8Array(await request.arrayBuffer())), 'UTF-8'),
      );
      if (!ACTIONS.includes(form.action as string)) {
        return errorPage(400, 'Unknown action', [String(form.action)]);
      }
      if (session.outcome) return errorPage(409, 'This checkout has already ended', [session.outcome]);
      const step = await act(sessionId, form.action as PaypalAction, {
        buyer: {
          ...(form.first_name ? { firstName: form.first_name } : {}),
          ...(form.last_name ? { lastName: form.last_name } : {}),
          ...(form.email ? { email: form.email } : {}),
        },
        ...(form.pending_reason ? { pendingReason: form.pending_reason } : {}),
      });
      return browserStepResponse(step);
    },
  };
}

export type CheckoutFlow = ReturnType<typeof createCheckoutFlow>;
