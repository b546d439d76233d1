import type { ApiCall } from './context';
import { checkAmount } from './currencies';
import { randomToken, StripeFailure } from './http';
import { base, lookup, nowSeconds, put, type SessionInternals, type StripeObject } from './model';
import { expireSession } from './session-lifecycle';
import { connectData, destination, lineItem, url } from './session-params';

const LOCALES =
  'auto bg cs da de el en en-GB es es-419 et fi fil fr fr-CA hi-IN hr hu id it ja ko lt lv ms mt nb nl pl pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW'.split(
    ' ',
  );
const METHODS = ['card', 'sepa_debit'] as const;

const SESSION_PARAMS = [
  'mode',
  'line_items',
  'success_url',
  'cancel_url',
  'client_reference_id',
  'metadata',
  'customer',
  'customer_email',
  'customer_creation',
  'expires_at',
  'locale',
  'payment_method_types',
  'payment_intent_data',
  'subscription_data',
  'submit_type',
  'billing_address_collection',
  'ui_mode',
];
const PI_DATA = [
  'capture_method',
  'metadata',
  'description',
  'statement_descriptor_suffix',
  'receipt_email',
  'setup_future_usage',
  'application_fee_amount',
  'transfer_data',
  'on_behalf_of',
  'transfer_group',
];
const SUB_DATA = [
  'metadata',
  'trial_period_days',
  'description',
  'application_fee_percent',
  'transfer_data',
  'on_behalf_of',
];

/** `POST /v1/checkout/sessions` (reference §2.1): validated like Stripe, an `open` session with its hosted page URL. */
export function createSession(call: ApiCall): StripeObject {
  const { state, account } = call;
  const p = call.params.onlyKnown(SESSION_PARAMS);
  const mode = p.oneOf('mode', ['payment', 'subscription', 'setup'] as const);
  if (!mode) throw StripeFailure.invalid('Missing required param: mode.', 'mode', 'parameter_missing');
  if (mode === 'setup') throw StripeFailure.invalid('The sandbox does not simulate setup mode.', 'mode');
  const uiMode = p.string('ui_mode');
  if (uiMode !== undefined && uiMode !== 'hosted_page' && uiMode !== 'hosted') {
    throw StripeFailure.invalid('The sandbox only serves the hosted page (ui_mode=hosted_page).', 'ui_mode');
  }
  const lineItems = p.list('line_items').map((item, i) => lineItem(item, i, mode));
  if (lineItems.length === 0) {
    throw StripeFailure.invalid('Missing required param: line_items.', 'line_items', 'parameter_missing');
  }
  const currency = lineItems[0]?.currency as string;
  if (lineItems.some((l) => l.currency !== currency)) {
    throw StripeFailure.invalid('All line items must use the same currency.', 'line_items');
  }
  if (mode === 'subscription' && !lineItems.some((l) => l.recurring)) {
    throw StripeFailure.invalid(
      'You must provide at least one recurring price in `subscription` mode when using prices.',
      'line_items',
    );
  }
  const successUrl = url(p.requiredString('success_url'), 'success_url');
  const cancelUrl = p.string('cancel_url') ? url(p.requiredString('cancel_url'), 'cancel_url') : null;
  const amountTotal = lineItems.reduce((sum, l) => sum + l.unitAmount * l.quantity, 0);
  checkAmount(amountTotal, currency, 'line_items', true, state.config.wholeUnitCurrencies);

  const now = nowSeconds(state);
  const expiresAt = p.integer('expires_at') ?? now + 24 * 3600;
  if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600) {
    throw StripeFailure.invalid(
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      'expires_at',
    );
  }
  const clientReferenceId = p.string('client_reference_id');
  if (clientReferenceId !== undefined && clientReferenceId.length > 200) {
    throw StripeFailure.invalid('client_reference_id must be at most 200 characters.', 'client_reference_id');
  }
  const customer = p.string('customer');
  if (customer && !lookup(state, account, customer, 'customer'))
    throw StripeFailure.missing('customer', customer, 'customer');
  const customerEmail = p.string('customer_email');
  if (customer && customerEmail) {
    throw StripeFailure.invalid(
      'You may only specify one of these parameters: customer, customer_email.',
      'customer_email',
    );
  }
  const methods = p.strings('payment_method_types');
  for (const m of methods) {
    if (!(METHODS as readonly string[]).includes(m)) {
      throw StripeFailure.invalid(
        `The sandbox knows the payment methods ${METHODS.join(', ')}, not ${m.slice(0, 40)}.`,
        'payment_method_types',
      );
    }
  }
  const piData = p.object('payment_intent_data').onlyKnown(PI_DATA);
  const subData = p.object('subscription_data').onlyKnown(SUB_DATA);
  if (mode === 'subscription' && Object.keys(piData.values).length > 0) {
    throw StripeFailure.invalid(
      'You can not pass `payment_intent_data` in `subscription` mode.',
      'payment_intent_data',
    );
  }
  if (mode === 'payment' && Object.keys(subData.values).length > 0) {
    throw StripeFailure.invalid(
      'You can only pass `subscription_data` in `subscription` mode.',
      'subscription_data',
    );
  }
  const captureMethod =
    piData.oneOf('capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic';
  const connect = connectData(call, piData, amountTotal);
  const trialPeriodDays = subData.integer('trial_period_days');
  if (trialPeriodDays !== undefined && (trialPeriodDays < 1 || trialPeriodDays > 730)) {
    throw StripeFailure.invalid(
      'trial_period_days must be between 1 and 730.',
      'subscription_data[trial_period_days]',
    );
  }

  const id = `cs_test_${randomToken(58)}`;
  const session: StripeObject = {
    ...base(state, 'checkout.session', id),
    amount_subtotal: amountTotal,
    amount_total: amountTotal,
    cancel_url: cancelUrl,
    client_reference_id: clientReferenceId ?? null,
    currency,
    customer: customer ?? null,
    customer_creation:
      mode === 'payment'
        ? (p.oneOf('customer_creation', ['always', 'if_required'] as const) ?? 'if_required')
        : null,
    customer_details: null,
    customer_email: customerEmail ?? null,
    expires_at: expiresAt,
    invoice: null,
    locale: p.oneOf('locale', LOCALES) ?? null,
    metadata: p.metadata(),
    mode,
    payment_intent: null,
    payment_method_types: methods.length
      ? methods
      : captureMethod === 'manual' || mode === 'subscription'
        ? ['card']
        : [...METHODS],
    payment_status: 'unpaid',
    status: 'open',
    submit_type: p.oneOf('submit_type', ['auto', 'pay', 'book', 'donate'] as const) ?? null,
    subscription: null,
    success_url: successUrl,
    ui_mode: 'hosted_page',
    url: `${state.env.baseUrl}/c/pay/${id}`,
  };
  const internals: SessionInternals = {
    lineItems,
    captureMethod,
    paymentIntentData: {
      metadata: piData.metadata(),
      description: piData.string('description') ?? null,
      receipt_email: piData.string('receipt_email') ?? null,
      statement_descriptor_suffix: piData.string('statement_descriptor_suffix') ?? null,
      transfer_group: piData.string('transfer_group') ?? null,
      ...connect,
    },
    subscriptionData: {
      metadata: subData.metadata(),
      ...(trialPeriodDays === undefined ? {} : { trialPeriodDays }),
      extra: {
        description: subData.string('description') ?? null,
        application_fee_percent: subData.string('application_fee_percent')
          ? Number(subData.string('application_fee_percent'))
          : null,
        transfer_data: subData.object('transfer_data').string('destination')
          ? {
              destination: destination(
                call,
                subData.object('transfer_data').requiredString('destination'),
                'subscription_data[transfer_data][destination]',
              ),
            }
          : null,
        on_behalf_of: subData.string('on_behalf_of') ?? null,
      },
    },
  };
  put(state, account, session);
  state.sessions.set(id, internals);
  state.timers.push({ at: expiresAt * 1000, run: () => expireSession(state, id, null) });
  return session;
}

export function sessionOf(call: ApiCall, id: string): StripeObject {
  const session = lookup(call.state, call.account, id, 'checkout.session');
  if (!session) throw StripeFailure.missing('checkout.session', id);
  return session;
}

/** `POST /v1/checkout/sessions/:id`: only metadata can change (reference §2.3). */
export function updateSession(call: ApiCall, id: string): StripeObject {
  const session = sessionOf(call, id);
  call.params.onlyKnown(['metadata']);
  const patch = call.params.object('metadata').values;
  const metadata = { ...(session.metadata as Record<string, string>), ...call.params.metadata() };
  for (const [k, v] of Object.entries(patch)) if (v === '') delete metadata[k];
  session.metadata = metadata;
  return session;
}

/** `POST /v1/checkout/sessions/:id/expire`: only from `open`. */
export function expire(call: ApiCall, id: string): StripeObject {
  const session = sessionOf(call, id);
  call.params.onlyKnown([]);
  if (session.status !== 'open') {
    throw StripeFailure.state(
      `Only Checkout Sessions with a status of \`open\` can be expired. This Checkout Session has a status of \`${session.status as string}\`.`,
      'checkout_session_not_open',
    );
  }
  expireSession(call.state, id, call.cause);
  return session;
}

/** `GET /v1/checkout/sessions/:id/line_items`. */
export function lineItems(call: ApiCall, id: string): StripeObject[] {
  const session = sessionOf(call, id);
  const internals = call.state.sessions.get(session.id);
  return (internals?.lineItems ?? []).map((l) => ({
    id: l.id,
    object: 'item',
    amount_discount: 0,
    amount_subtotal: l.unitAmount * l.quantity,
    amount_tax: 0,
    amount_total: l.unitAmount * l.quantity,
    currency: l.currency,
    description: l.name,
    price: {
      id: `price_${l.id.slice(3)}`,
      object: 'price',
      currency: l.currency,
      unit_amount: l.unitAmount,
      recurring: l.recurring ?? null,
      type: l.recurring ? 'recurring' : 'one_time',
    },
    quantity: l.quantity,
  }));
}
