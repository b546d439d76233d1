import { startSubscription } from './billing';
import { cardOutcome, last4 } from './cards';
import { newCustomer } from './customers';
import { openDispute } from './disputes';
import { automatic, type EventCause, emit } from './events';
import { accountOf, lookup, type SessionInternals, type StripeObject, type StripeState } from './model';
import { cancelIntent, newCharge, newPaymentIntent, type PaymentMethodDetails } from './payments';

/** Where the hosted page sends the buyer next. */
export type PageOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'three_d_secure' }
  | { kind: 'error'; message: string }
  | { kind: 'closed'; status: string };

export interface Open {
  session: StripeObject;
  internals: SessionInternals;
  account: string | null;
}

/** An `open` session (expiring it first when its time is up), or null. */
export function openSession(state: StripeState, id: string): Open | null {
  const account = accountOf(state, id);
  const session = lookup(state, account, id, 'checkout.session');
  const internals = state.sessions.get(id);
  if (!session || !internals) return null;
  if (session.status === 'open' && (session.expires_at as number) * 1000 <= state.env.clock.now()) {
    expireSession(state, id, automatic);
  }
  return session.status === 'open' ? { session, internals, account } : null;
}

/** open → expired (timer or `/expire`): its PaymentIntent, if any, is canceled; `checkout.session.expired`. */
export function expireSession(state: StripeState, id: string, cause: EventCause | null): void {
  const account = accountOf(state, id);
  const session = lookup(state, account, id, 'checkout.session');
  if (session?.status !== 'open') return;
  session.status = 'expired';
  session.url = null;
  const pi =
    typeof session.payment_intent === 'string'
      ? lookup(state, account, session.payment_intent, 'payment_intent')
      : null;
  if (pi && pi.status !== 'canceled' && pi.status !== 'succeeded')
    cancelIntent(state, account, pi, 'abandoned', cause ?? automatic);
  emit(state, account, 'checkout.session.expired', session, cause ?? automatic);
}

export function intentFor(state: StripeState, open: Open): StripeObject {
  const { session, internals, account } = open;
  if (typeof session.payment_intent === 'string') {
    const existing = lookup(state, account, session.payment_intent, 'payment_intent');
    if (existing) return existing;
  }
  const pi = newPaymentIntent(state, account, {
    amount: session.amount_total as number,
    currency: session.currency as string,
    captureMethod: internals.captureMethod,
    customer: session.customer as string | null,
    data: internals.paymentIntentData,
    methods: session.payment_method_types,
  });
  session.payment_intent = pi.id;
  emit(state, account, 'payment_intent.created', pi, automatic);
  return pi;
}

export const successUrl = (session: StripeObject): string =>
  (session.success_url as string).replaceAll('{CHECKOUT_SESSION_ID}', session.id);

const cardDetails = (number: string, brand: string): PaymentMethodDetails => ({
  type: 'card',
  card: { brand, last4: last4(number), exp_month: 12, exp_year: 2034, country: 'US' },
});

/** The buyer submits a card on the hosted page (reference §10: the number decides the outcome). */
export function submitCard(
  state: StripeState,
  id: string,
  number: string,
  email: string | null,
): PageOutcome {
  const open = openSession(state, id);
  if (!open) return closed(state, id);
  const outcome = cardOutcome(number);
  if (outcome.kind === 'decline') return decline(state, open, number, outcome);
  if (outcome.kind === 'three_d_secure') {
    open.internals.pending3ds = number;
    if (open.session.mode === 'payment') {
      const pi = intentFor(state, open);
      pi.status = 'requires_action';
      emit(state, open.account, 'payment_intent.requires_action', pi, automatic);
    }
    if (email) open.internals.customerEmail = email;
    return { kind: 'three_d_secure' };
  }
  return complete(state, open, cardDetails(number, outcome.brand), email, outcome.after);
}

/** The 3-D Secure test page's Complete / Fail buttons. */
export function answer3ds(state: StripeState, id: string, succeed: boolean): PageOutcome {
  const open = openSession(state, id);
  if (!open) return closed(state, id);
  const number = open.internals.pending3ds;
  if (!number) return { kind: 'error', message: 'No authentication is pending for this session.' };
  delete open.internals.pending3ds;
  if (succeed)
    return complete(state, open, cardDetails(number, 'visa'), open.internals.customerEmail ?? null);
  return decline(state, open, number, {
    code: 'payment_intent_authentication_failure',
    message:
      'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    brand: 'visa',
  });
}

function decline(
  state: StripeState,
  open: Open,
  number: string,
  d: { code: string; declineCode?: string; message: string; brand: string },
): PageOutcome {
  const error = {
    type: 'card_error',
    code: d.code,
    ...(d.declineCode ? { decline_code: d.declineCode } : {}),
    message: d.message,
  };
  if (open.session.mode === 'payment') {
    const pi = intentFor(state, open);
    const charge = newCharge(state, open.account, pi, cardDetails(number, d.brand), 'failed', {
      code: d.declineCode ?? d.code,
      message: d.message,
    });
    pi.status = 'requires_payment_method';
    pi.last_payment_error = error;
    emit(state, open.account, 'charge.failed', charge, automatic);
    emit(state, open.account, 'payment_intent.payment_failed', pi, automatic);
  }
  open.internals.pageError = d.message;
  return { kind: 'error', message: d.message };
}

export function finish(state: StripeState, open: Open, email: string | null, paymentStatus: string): void {
  const { session, internals } = open;
  const address = email ?? (session.customer_email as string | null) ?? internals.customerEmail ?? null;
  session.status = 'complete';
  session.payment_status = paymentStatus;
  session.url = null;
  session.customer_details = {
    address: null,
    email: address,
    name: null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  delete internals.pageError;
  if (!session.customer && (session.mode === 'subscription' || session.customer_creation === 'always')) {
    session.customer = newCustomer(state, open.account, address, automatic).id;
  }
}

/** What a test card does after paying (reference §10): its refunds fail later, or it is disputed. */
function cardFollowUp(
  state: StripeState,
  account: string | null,
  chargeId: string,
  after: 'refund_fails' | 'disputed' | undefined,
): void {
  if (after === 'refund_fails') state.refundFailingCharges.add(chargeId);
  if (after === 'disputed') {
    state.timers.push({
      at: state.env.clock.now() + state.config.disputeDelayMs,
      run: () => openDispute(state, account, chargeId),
    });
  }
}

/** A successful card: capture now, or authorize only (manual capture), or start the subscription. */
function complete(
  state: StripeState,
  open: Open,
  details: PaymentMethodDetails,
  email: string | null,
  after?: 'refund_fails' | 'disputed',
): PageOutcome {
  const { session, internals, account } = open;
  if (session.mode === 'subscription') {
    finish(state, open, email, 'paid');
    const { subscription, invoice } = startSubscription(
      state,
      account,
      {
        customer: session.customer as string,
        lineItems: internals.lineItems,
        metadata: internals.subscriptionData.metadata,
        ...(internals.subscriptionData.trialPeriodDays
          ? { trialPeriodDays: internals.subscriptionData.trialPeriodDays }
          : {}),
        extra: internals.subscriptionData.extra,
        details,
      },
      automatic,
    );
    session.subscription = subscription.id;
    session.invoice = invoice.id;
    // The test card's later behaviour applies to the charge of the first invoice too.
    const [first] = (invoice.payments as { data: Array<{ payment: { payment_intent: string } }> }).data;
    const firstIntent = first ? lookup(state, account, first.payment.payment_intent, 'payment_intent') : null;
    if (typeof firstIntent?.latest_charge === 'string')
      cardFollowUp(state, account, firstIntent.latest_charge, after);
    if (subscription.status === 'trialing') session.payment_status = 'no_payment_required';
    emit(state, account, 'checkout.session.completed', session, automatic);
    return { kind: 'redirect', url: successUrl(session) };
  }
  const pi = intentFor(state, open);
  const manual = pi.capture_method === 'manual';
  const charge = newCharge(state, account, pi, details, 'succeeded');
  cardFollowUp(state, account, charge.id, after);
  pi.last_payment_error = null;
  finish(state, open, email, manual ? state.config.manualCapturePaymentStatus : 'paid');
  pi.customer = session.customer;
  charge.customer = session.customer;
  emit(state, account, 'charge.succeeded', charge, automatic);
  if (manual) {
    pi.status = 'requires_capture';
    pi.amount_capturable = pi.amount;
    emit(state, account, 'payment_intent.amount_capturable_updated', pi, automatic);
    state.timers.push({
      at: state.env.clock.now() + state.config.authorizationValidityMs,
      run: () => expireAuthorization(state, account, pi, charge),
    });
  } else {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    emit(state, account, 'payment_intent.succeeded', pi, automatic);
  }
  emit(state, account, 'checkout.session.completed', session, automatic);
  return { kind: 'redirect', url: successUrl(session) };
}

export function closed(state: StripeState, id: string): PageOutcome {
  const session = lookup(state, accountOf(state, id), id, 'checkout.session');
  return { kind: 'closed', status: (session?.status as string | undefined) ?? 'missing' };
}

/** An authorization not captured in time is voided by Stripe (reference §3.3, §11.12). */
function expireAuthorization(
  state: StripeState,
  account: string | null,
  pi: StripeObject,
  charge: StripeObject,
): void {
  if (pi.status !== 'requires_capture') return;
  cancelIntent(state, account, pi, 'automatic', automatic);
  emit(state, account, 'charge.expired', charge, automatic);
}
