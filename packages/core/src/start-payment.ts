import { availableBackends } from './availability';
import type { BackendContext, PaymentBackend, PrepareResult } from './backend';
import type { ButtonConfig } from './button';
import type { OrderInfo, StartPaymentInput, StartPaymentResult } from './config';
import { PaybridgeError } from './errors';
import { applyPaymentFacts } from './lib/apply-facts';
import { backendContext } from './lib/backend-context';
import { withBackendData } from './lib/broker-data';
import { verifyButton } from './lib/button-token';
import { sortableId } from './lib/bytes';
import { deliverSafely } from './lib/delivery';
import { MONEY_STATUSES } from './lib/ledger';
import { creationTransition, newPayment } from './lib/new-payment';
import { getBackend, type Runtime, resolveTestMode } from './lib/runtime';
import { assertCurrency, assertMinorAmount } from './money';
import { getOrder } from './order-view';
import type { OrderSnapshot, Payment, Transition } from './types';

interface Purchase {
  orderId: string;
  order: OrderInfo;
  snapshot: OrderSnapshot;
  restrictTo?: string[];
}

async function purchaseFromButton(runtime: Runtime, input: StartPaymentInput): Promise<Purchase> {
  if (!runtime.config.secret)
    throw new PaybridgeError('INVALID_CONFIG', 'a `secret` is required for payment buttons');
  const config: ButtonConfig = await verifyButton(
    runtime.config.secret,
    input.button as string,
    runtime.now(),
  );
  const index =
    typeof input.option === 'number'
      ? input.option
      : config.options.findIndex((o, i) => (o.id ?? String(i)) === String(input.option ?? '0'));
  const option = config.options[index];
  if (!option) throw new PaybridgeError('INVALID_BUTTON', `the button has no option ${String(input.option)}`);
  return {
    orderId: config.reference,
    order: {
      amount: option.amount,
      currency: option.currency,
      description: option.description,
      buyer: {
        ...(config.email ? { email: config.email } : {}),
        ...(config.language ? { language: config.language } : {}),
      },
      ...(config.acceptedUrl ? { successUrl: config.acceptedUrl } : {}),
      ...(config.declinedUrl ? { failureUrl: config.declinedUrl } : {}),
      ...(option.recurrence ? { recurrence: option.recurrence } : {}),
    },
    snapshot: {
      reference: config.reference,
      ...(config.orderDate ? { date: config.orderDate } : {}),
      option: option.id ?? String(index),
      optionDescription: option.description,
      ...(option.customFields ? { customFields: option.customFields } : {}),
      ...(config.backUrl ? { backUrl: config.backUrl } : {}),
      source: 'button',
    },
    ...(config.paymentOptions?.backends ? { restrictTo: config.paymentOptions.backends } : {}),
  };
}

async function purchaseFromOrder(runtime: Runtime, input: StartPaymentInput): Promise<Purchase> {
  const orderId = input.orderId as string;
  if (!runtime.config.orders) {
    throw new PaybridgeError('INVALID_CONFIG', '`orders.resolve` is required to start payments by order id');
  }
  const order = await runtime.config.orders.resolve(orderId, { request: input.request ?? null });
  if (!order) throw new PaybridgeError('UNKNOWN_ORDER', `no order "${orderId}"`, { details: { orderId } });
  assertMinorAmount(order.amount, 'order amount');
  assertCurrency(order.currency);
  return {
    orderId,
    order,
    snapshot: { reference: orderId, ...order.snapshot, ...(order.items ? { items: order.items } : {}) },
  };
}

function isRunningSubscription(payment: Payment): boolean {
  if (!payment.recurrence) return false;
  if (payment.subscription)
    return payment.subscription.status === 'active' || payment.subscription.status === 'suspended';
  // Paid but the broker's signup news has not arrived yet.
  return MONEY_STATUSES.has(payment.status) && payment.amountRefunded < payment.amountPaid;
}

/** Where the customer is redirected after the broker: an absolute http(s) URL, checked before any payment exists. */
function landingUrl(value: string | undefined, field: string): string | null {
  if (value === undefined || value === '') return null;
  let protocol: string | null = null;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = null;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new PaybridgeError('INVALID_CONFIG', `${field} must be an absolute http(s) URL`, {
      details: { field },
    });
  }
  return value;
}

export async function startPayment(
  runtime: Runtime,
  input: StartPaymentInput,
  baseUrl: string,
): Promise<StartPaymentResult> {
  const backend = getBackend(runtime, input.backend);
  if (!input.button === !input.orderId) {
    throw new PaybridgeError('BAD_REQUEST', 'give either an orderId or a signed button');
  }
  const purchase = input.button
    ? await purchaseFromButton(runtime, input)
    : await purchaseFromOrder(runtime, input);
  const { order } = purchase;

  const availability = availableBackends(
    [backend],
    { currency: order.currency, amount: order.amount, recurring: Boolean(order.recurrence) },
    (b) => resolveTestMode(runtime, b),
    purchase.restrictTo,
  );
  const refused = availability.unavailable[0];
  if (refused) {
    throw new PaybridgeError('BACKEND_UNAVAILABLE', refused.reasons.map((r) => r.message).join('; '), {
      details: { backend: backend.id, reasons: refused.reasons },
    });
  }

  const view = await getOrder(runtime, purchase.orderId);
  if (view.currency !== null && view.currency !== order.currency && view.amountPaid > 0) {
    throw new PaybridgeError('BAD_REQUEST', 'the order was already paid in part in another currency');
  }
  // A subscription is paid by its renewals: while one of the order's subscriptions runs, a second
  // signup would bill the customer twice (a double click, a second tab).
  if (order.recurrence && view.payments.some(isRunningSubscription)) {
    throw new PaybridgeError(
      'ORDER_ALREADY_PAID',
      `order "${purchase.orderId}" already has a running subscription`,
      {
        details: { orderId: purchase.orderId },
      },
    );
  }
  const alreadyPaid = view.currency === order.currency ? view.amountPaid - view.amountRefunded : 0;
  const outstanding = order.recurrence ? order.amount : order.amount - alreadyPaid;
  if (outstanding <= 0) {
    throw new PaybridgeError('ORDER_ALREADY_PAID', `order "${purchase.orderId}" is already paid`, {
      details: { orderId: purchase.orderId },
    });
  }
  const amount = input.amount === undefined ? outstanding : assertMinorAmount(input.amount);
  if (amount <= 0 || amount > outstanding) {
    throw new PaybridgeError(
      'INVALID_AMOUNT',
      `amount must be between 1 and the outstanding ${outstanding}`,
      {
        details: { outstanding },
      },
    );
  }

  const now = runtime.now();
  const payment = newPayment(
    {
      id: sortableId('pay'),
      orderId: purchase.orderId,
      backend: backend.id,
      amount,
      currency: order.currency,
      externalId: null,
      description: order.description,
      buyer: { ...order.buyer, ...input.buyer },
      order: { ...purchase.snapshot, amount: order.amount },
      recurrence: order.recurrence ?? null,
      parentPaymentId: null,
      subscription: null,
      successUrl: landingUrl(input.successUrl ?? order.successUrl, 'successUrl'),
      failureUrl: landingUrl(input.failureUrl ?? order.failureUrl, 'failureUrl'),
      testMode: resolveTestMode(runtime, backend),
      expiresAt: new Date(now.getTime() + runtime.paymentTtlSeconds * 1000).toISOString(),
    },
    now.toISOString(),
  );
  const created = creationTransition(payment, sortableId('trn', 12));
  const ctx = backendContext(runtime, backend, baseUrl, input.clientIp ?? null);
  return storeAndPrepare(runtime, backend, { payment, created }, ctx);
}

/** The payment with what `prepare` said about it folded in. */
function withPrepared(payment: Payment, prepared: PrepareResult): Payment {
  return withBackendData(
    { ...payment, externalId: prepared.externalId ?? payment.externalId },
    prepared.brokerData,
  );
}

/**
 * Stores the new payment and asks the backend where to send the customer. A backend that only
 * computes its redirect (`prepareOffline`) is asked first, and the payment is stored with what it
 * returned in one write; one that calls its broker is asked once the payment is stored, since the
 * broker may call back about it at once. Either way a failed prepare leaves the payment failed,
 * with the reason.
 */
async function storeAndPrepare(
  runtime: Runtime,
  backend: PaymentBackend,
  { payment, created }: { payment: Payment; created: Transition },
  ctx: BackendContext,
): Promise<StartPaymentResult> {
  let prepared: PrepareResult | null = null;
  let failure: { error: unknown } | null = null;
  if (backend.prepareOffline) {
    try {
      prepared = await backend.prepare(payment, ctx);
    } catch (error) {
      failure = { error };
    }
  }
  const stored = prepared ? withPrepared(payment, prepared) : payment;
  await runtime.store.createPayment(stored, created);
  await deliverSafely(runtime, [created], stored);

  if (!backend.prepareOffline) {
    try {
      const answer = await backend.prepare(stored, ctx);
      prepared = answer;
      if (answer.externalId || answer.brokerData) {
        const { result } = await applyPaymentFacts(runtime, backend, {
          paymentId: stored.id,
          facts: [],
          patch: (p) => withPrepared(p, answer),
          expected: stored,
        });
        Object.assign(stored, result.payment);
      }
    } catch (error) {
      failure = { error };
    }
  }
  if (failure || !prepared) {
    const error = failure?.error;
    // The broker refused or could not be reached: the attempt is over, and says why.
    // Kept with the payment and handed to listeners: never a secret an error message may carry.
    const reason = runtime.redactor.text(error instanceof Error ? error.message : String(error));
    const { result } = await applyPaymentFacts(runtime, backend, {
      paymentId: stored.id,
      facts: [
        { type: 'failed', eventId: `prepare-failed:${stored.id}`, reason: `prepare failed: ${reason}` },
      ],
    });
    await deliverSafely(runtime, result.transitions);
    throw error instanceof PaybridgeError
      ? error
      : new PaybridgeError('BROKER_ERROR', `${backend.displayName} could not start the payment`, {
          cause: error,
        });
  }
  return { payment: stored, redirect: prepared.redirect };
}
