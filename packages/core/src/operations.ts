import { availableBackends } from './availability';
import type { PaymentBackend, Redirect } from './backend';
import type { ButtonConfig } from './button';
import type { OrderInfo, OrderView, StartPaymentInput, StartPaymentResult } from './config';
import { PaybridgeError } from './errors';
import { verifyButton } from './lib/button-token';
import { randomId } from './lib/bytes';
import {
  applyPaymentFacts,
  backendContext,
  deliverTransitions,
  emitAnomaly,
  getBackend,
  type Runtime,
  resolveTestMode,
} from './lib/runtime';
import { assertCurrency, assertMinorAmount } from './money';
import type { OrderSnapshot, Payment, PaymentFact, Transition } from './types';

const MONEY_STATUSES = new Set(['partially_paid', 'paid', 'partially_refunded', 'refunded']);

async function allOrderPayments(runtime: Runtime, orderId: string): Promise<Payment[]> {
  const out: Payment[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.store.listPayments({ orderId, limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** The order seen through all of its payments (retries, split payments). */
export async function getOrder(runtime: Runtime, orderId: string): Promise<OrderView> {
  const payments = (await allOrderPayments(runtime, orderId)).filter((p) => p.parentPaymentId === null);
  const first = [...payments].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))[0];
  const amount = typeof first?.order.amount === 'number' ? first.order.amount : (first?.amount ?? null);
  const currency = first?.currency ?? null;
  const sameCurrency = payments.filter((p) => p.currency === currency);
  const amountPaid = sameCurrency.reduce((sum, p) => sum + p.amountPaid, 0);
  const amountRefunded = sameCurrency.reduce((sum, p) => sum + p.amountRefunded, 0);
  const net = amountPaid - amountRefunded;
  const outstanding = amount === null ? null : Math.max(amount - net, 0);
  const status: OrderView['status'] =
    amount !== null && net >= amount && amount > 0
      ? 'paid'
      : amountPaid > 0 && net === 0
        ? 'refunded'
        : net > 0
          ? 'partially_paid'
          : payments.some((p) => p.status === 'pending' || p.status === 'authorized')
            ? 'pending'
            : 'unpaid';
  return { orderId, amount, currency, amountPaid, amountRefunded, outstanding, status, payments };
}

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
  const createdAt = now.toISOString();
  const payment: Payment = {
    id: randomId('pay'),
    orderId: purchase.orderId,
    backend: backend.id,
    amount,
    currency: order.currency,
    status: 'new',
    amountAuthorized: 0,
    amountPaid: 0,
    amountRefunded: 0,
    captures: [],
    refunds: [],
    externalId: null,
    description: order.description,
    buyer: { ...order.buyer, ...input.buyer },
    order: { ...purchase.snapshot, amount: order.amount },
    recurrence: order.recurrence ?? null,
    parentPaymentId: null,
    subscription: null,
    brokerData: {},
    successUrl: input.successUrl ?? order.successUrl ?? null,
    failureUrl: input.failureUrl ?? order.failureUrl ?? null,
    testMode: resolveTestMode(runtime, backend),
    createdAt,
    updatedAt: createdAt,
    expiresAt: new Date(now.getTime() + runtime.paymentTtlSeconds * 1000).toISOString(),
    version: 1,
  };
  const created: Transition = {
    id: randomId('trn', 12),
    paymentId: payment.id,
    from: 'new',
    to: 'new',
    cause: 'created',
    eventId: null,
    amountPaid: 0,
    amountRefunded: 0,
    at: createdAt,
    effects: [{ event: 'payment.created' }],
  };
  await runtime.store.createPayment(payment, created);
  await deliverTransitions(runtime, [created]).catch((error) =>
    runtime.logger.error('could not deliver events', { error: String(error) }),
  );

  const ctx = backendContext(runtime, backend, baseUrl, input.clientIp ?? null);
  let redirect: Redirect;
  try {
    const prepared = await backend.prepare(payment, ctx);
    redirect = prepared.redirect;
    if (prepared.externalId || prepared.brokerData) {
      const { result } = await applyPaymentFacts(runtime, backend, payment.id, [], (p) => ({
        ...p,
        externalId: prepared.externalId ?? p.externalId,
        brokerData: { ...p.brokerData, ...prepared.brokerData },
      }));
      Object.assign(payment, result.payment);
    }
  } catch (error) {
    // The broker refused or could not be reached: the attempt is over, and says why.
    const reason = error instanceof Error ? error.message : String(error);
    const { result } = await applyPaymentFacts(runtime, backend, payment.id, [
      { type: 'failed', eventId: `prepare-failed:${payment.id}`, reason: `prepare failed: ${reason}` },
    ]);
    await deliverTransitions(runtime, result.transitions).catch(() => {});
    throw error instanceof PaybridgeError
      ? error
      : new PaybridgeError('BROKER_ERROR', `${backend.displayName} could not start the payment`, {
          cause: error,
        });
  }
  return { payment, redirect };
}

async function applyOperationFacts(
  runtime: Runtime,
  backend: PaymentBackend,
  payment: Payment,
  facts: PaymentFact[],
  brokerData?: Record<string, unknown>,
): Promise<Payment> {
  const { result, anomalies } = await applyPaymentFacts(
    runtime,
    backend,
    payment.id,
    facts,
    brokerData ? (p) => ({ ...p, brokerData: { ...p.brokerData, ...brokerData } }) : undefined,
  );
  await deliverTransitions(runtime, result.transitions).catch((error) =>
    runtime.logger.error('could not deliver events', { error: String(error) }),
  );
  for (const anomaly of anomalies) await emitAnomaly(runtime, backend.id, anomaly, result.payment);
  return result.payment;
}

async function loadForOperation(runtime: Runtime, paymentId: string) {
  const payment = await runtime.store.getPayment(paymentId);
  if (!payment)
    throw new PaybridgeError('UNKNOWN_PAYMENT', `no payment "${paymentId}"`, { details: { paymentId } });
  const backend = getBackend(runtime, payment.backend);
  return { payment, backend };
}

function requireCapability(
  backend: PaymentBackend,
  capability: keyof PaymentBackend['capabilities'],
  has: boolean,
) {
  if (!backend.capabilities[capability] || !has) {
    throw new PaybridgeError(
      'CAPABILITY_NOT_SUPPORTED',
      `${backend.displayName} does not support ${capability}`,
      {
        details: { backend: backend.id, capability },
      },
    );
  }
}

export async function capture(runtime: Runtime, baseUrl: string, paymentId: string, amount?: number) {
  const { payment, backend } = await loadForOperation(runtime, paymentId);
  requireCapability(backend, 'capture', Boolean(backend.capture));
  if (payment.status !== 'authorized') {
    throw new PaybridgeError('INVALID_STATE', `cannot capture a ${payment.status} payment`, {
      details: { status: payment.status },
    });
  }
  const toCapture = amount === undefined ? payment.amountAuthorized : assertMinorAmount(amount);
  if (toCapture <= 0 || toCapture > payment.amountAuthorized) {
    throw new PaybridgeError('INVALID_AMOUNT', `capture must be between 1 and ${payment.amountAuthorized}`);
  }
  const result = await backend.capture!(payment, toCapture, backendContext(runtime, backend, baseUrl, null));
  return applyOperationFacts(runtime, backend, payment, result.facts, result.brokerData);
}

export async function cancel(runtime: Runtime, baseUrl: string, paymentId: string) {
  const { payment, backend } = await loadForOperation(runtime, paymentId);
  requireCapability(backend, 'cancel', Boolean(backend.cancel));
  if (!['new', 'pending', 'authorized'].includes(payment.status)) {
    throw new PaybridgeError('INVALID_STATE', `cannot cancel a ${payment.status} payment`, {
      details: { status: payment.status },
    });
  }
  const result = await backend.cancel!(payment, backendContext(runtime, backend, baseUrl, null));
  return applyOperationFacts(runtime, backend, payment, result.facts, result.brokerData);
}

export async function refund(
  runtime: Runtime,
  baseUrl: string,
  paymentId: string,
  options: { amount?: number; reason?: string } = {},
) {
  const { payment, backend } = await loadForOperation(runtime, paymentId);
  requireCapability(backend, 'refund', Boolean(backend.refund));
  if (!MONEY_STATUSES.has(payment.status)) {
    throw new PaybridgeError('INVALID_STATE', `cannot refund a ${payment.status} payment`, {
      details: { status: payment.status },
    });
  }
  const pending = payment.refunds
    .filter((r) => r.status === 'pending' && r.kind === 'refund')
    .reduce((s, r) => s + r.amount, 0);
  const refundable = payment.amountPaid - payment.amountRefunded - pending;
  const amount = options.amount === undefined ? refundable : assertMinorAmount(options.amount);
  if (amount <= 0 || amount > refundable) {
    throw new PaybridgeError('INVALID_AMOUNT', `refund must be between 1 and the refundable ${refundable}`, {
      details: { refundable },
    });
  }
  if (amount < refundable || payment.amountRefunded > 0) {
    requireCapability(backend, 'partialRefund', true);
  }
  const refundId = randomId('rfd', 12);
  const result = await backend.refund!(
    payment,
    { refundId, amount, ...(options.reason ? { reason: options.reason } : {}) },
    backendContext(runtime, backend, baseUrl, null),
  );
  return applyOperationFacts(runtime, backend, payment, result.facts, result.brokerData);
}

export async function sync(runtime: Runtime, baseUrl: string, paymentId: string) {
  const { payment, backend } = await loadForOperation(runtime, paymentId);
  requireCapability(backend, 'pull', Boolean(backend.fetchStatus));
  const facts = await backend.fetchStatus!(payment, backendContext(runtime, backend, baseUrl, null));
  return applyOperationFacts(runtime, backend, payment, facts);
}

/** Expire payments left new or pending past `expiresAt`. Returns how many were expired. */
export async function sweepExpired(runtime: Runtime): Promise<number> {
  const now = runtime.now().toISOString();
  let count = 0;
  for (const status of ['new', 'pending'] as const) {
    // Expired payments leave the filter, so the first page is re-read until nothing is left to expire.
    for (;;) {
      const page = await runtime.store.listPayments({ status, expiresBefore: now, limit: 200 });
      let progressed = false;
      for (const payment of page.items) {
        const backend = runtime.backends.get(payment.backend);
        if (!backend) continue;
        const { result } = await applyPaymentFacts(runtime, backend, payment.id, [
          { type: 'expired', eventId: `sweep:${payment.id}` },
        ]);
        if (result.outcome === 'applied') {
          count++;
          progressed = true;
        }
        await deliverTransitions(runtime, result.transitions).catch(() => {});
      }
      if (!progressed) break;
    }
  }
  return count;
}
