import {
  type BackendContext,
  PaybridgeError,
  type Payment,
  type PaymentFact,
  type PrepareResult,
} from '@paybridge/core';
import { type PayuClient, payuError } from './api-client';
import { orderFacts, refundFacts } from './facts';
import { createOrderResponseSchema, type PayuOrder, retrieveOrderSchema } from './payu-schemas';
import { knownRefundId, listRefunds } from './refunds';
import type { PayuSettings } from './settings';

/** Request statuses of `POST /orders` that send the buyer to `redirectUri` (§3.1). */
const REDIRECT_STATUSES = new Set([
  'SUCCESS',
  'WARNING_CONTINUE_REDIRECT',
  'WARNING_CONTINUE_3DS',
  'WARNING_CONTINUE_CVV',
]);

export interface OrderDeps {
  settings: PayuSettings;
  client: PayuClient;
}

export const orderPath = (orderId: string) => `/orders/${encodeURIComponent(orderId)}`;

export function requireOrderId(payment: Payment, action: string): string {
  if (!payment.externalId) {
    throw new PaybridgeError('INVALID_STATE', `Cannot ${action}: the payment has no PayU order yet`, {
      details: { paymentId: payment.id },
    });
  }
  return payment.externalId;
}

function customerIp(ctx: BackendContext, settings: PayuSettings): string {
  // PayU rejects 0.0.0.0 and requires the field (§3); it feeds PayU's fraud screening.
  const ip = ctx.clientIp && ctx.clientIp !== '0.0.0.0' ? ctx.clientIp : settings.fallbackCustomerIp;
  if (!ip) {
    throw new PaybridgeError(
      'BAD_REQUEST',
      "PayU needs the customer's IP address; none is known (configure trustProxy, or fallbackCustomerIp)",
    );
  }
  return ip;
}

function products(payment: Payment): Array<{ name: string; unitPrice: string; quantity: string }> {
  const items = payment.order.items ?? [];
  const sum = items.reduce((total, item) => total + item.unitPrice * item.quantity, 0);
  // Whether PayU checks sum(products) == totalAmount is UNCONFIRMED: send the items only when they
  // add up (a split payment covers part of an order), else one line for the whole payment.
  if (items.length > 0 && sum === payment.amount) {
    return items.map((item) => ({
      name: item.name,
      unitPrice: String(item.unitPrice),
      quantity: String(item.quantity),
    }));
  }
  return [{ name: payment.description, unitPrice: String(payment.amount), quantity: '1' }];
}

function buyer(payment: Payment, settings: PayuSettings): Record<string, string> | undefined {
  const source = payment.buyer;
  const out: Record<string, string> = {};
  if (source.email) out.email = source.email;
  if (source.phone) out.phone = source.phone;
  if (source.firstName) out.firstName = source.firstName;
  if (source.lastName) out.lastName = source.lastName;
  if (source.customerId) out.extCustomerId = source.customerId;
  const language = source.language ?? settings.language;
  if (language) out.language = language.slice(0, 2).toLowerCase();
  return Object.keys(out).length > 0 ? out : undefined;
}

export async function prepareOrder(
  payment: Payment,
  ctx: BackendContext,
  deps: OrderDeps,
): Promise<PrepareResult> {
  const { settings } = deps;
  if (payment.currency !== settings.currency) {
    // PayU would answer ERROR_INCONSISTENT_CURRENCIES (payu-recurring.md §7): refuse before calling it.
    throw new PaybridgeError(
      'UNSUPPORTED_CURRENCY',
      `This PayU POS takes ${settings.currency} only, not ${payment.currency}: configure one backend per POS`,
      { details: { paymentId: payment.id, currency: payment.currency, posCurrency: settings.currency } },
    );
  }
  const body = {
    notifyUrl: ctx.notifyUrl,
    continueUrl: ctx.returnUrl(payment.id),
    customerIp: customerIp(ctx, settings),
    merchantPosId: settings.posId,
    description: payment.description,
    currencyCode: payment.currency,
    totalAmount: String(payment.amount),
    // The payment id is fresh per attempt: PayU refuses a reused extOrderId (ERROR_ORDER_NOT_UNIQUE),
    // the mistake getpaid made by sending its payment pk (§7.1).
    extOrderId: payment.id,
    ...(settings.validitySeconds ? { validityTime: String(settings.validitySeconds) } : {}),
    ...(buyer(payment, settings) ? { buyer: buyer(payment, settings) } : {}),
    products: products(payment),
  };
  const response = await deps.client.request(ctx, {
    method: 'POST',
    path: '/orders',
    body,
    kind: 'create-order',
    paymentId: payment.id,
  });
  // 302 is the normal answer, 200/201 also happen; the request's statusCode decides (§3.1).
  if (![200, 201, 302].includes(response.status)) throw payuError('create the order', response);
  const parsed = createOrderResponseSchema().safeParse(response.json);
  if (!parsed.success || !REDIRECT_STATUSES.has(parsed.data.status.statusCode)) {
    throw payuError('create the order', response);
  }
  const { redirectUri, orderId } = parsed.data;
  if (!redirectUri || !orderId) {
    throw new PaybridgeError('BROKER_ERROR', 'PayU created the order but sent no redirectUri or orderId', {
      details: { httpStatus: response.status, correlationId: response.correlationId },
    });
  }
  return {
    redirect: { method: 'GET', url: redirectUri },
    externalId: orderId,
    brokerData: { payuOrderId: orderId, extOrderId: payment.id },
  };
}

/** `GET /orders/{id}` (§5.1): `orders` is an array even for one order. */
export async function retrieveOrder(
  orderId: string,
  payment: Payment,
  ctx: BackendContext,
  deps: OrderDeps,
): Promise<PayuOrder> {
  const response = await deps.client.request(ctx, {
    method: 'GET',
    path: orderPath(orderId),
    kind: 'retrieve-order',
    paymentId: payment.id,
  });
  if (response.status !== 200) throw payuError('retrieve the order', response);
  const parsed = retrieveOrderSchema().safeParse(response.json);
  const order = parsed.success
    ? parsed.data.orders.find((candidate) => candidate.orderId === orderId)
    : undefined;
  if (!order) {
    throw new PaybridgeError('BROKER_ERROR', 'PayU answered the order retrieval in an unexpected shape', {
      details: { correlationId: response.correlationId },
    });
  }
  return order;
}

/**
 * The order's status (§5.1), and for a COMPLETED order its refunds too, so `sync` also catches
 * refund notifications that never arrived.
 */
export async function fetchOrderStatus(
  payment: Payment,
  ctx: BackendContext,
  deps: OrderDeps,
): Promise<PaymentFact[]> {
  const orderId = requireOrderId(payment, 'fetch the status');
  const order = await retrieveOrder(orderId, payment, ctx, deps);
  const facts = orderFacts(order) ?? [];
  if (order.status !== 'COMPLETED') return facts;
  let refunds: Awaited<ReturnType<typeof listRefunds>>;
  try {
    refunds = await listRefunds(deps.client, ctx, orderId, payment.id);
  } catch (error) {
    // The order's status is worth applying even when its refunds cannot be read right now.
    ctx.logger.warn('payu: could not list refunds during a status pull', {
      paymentId: payment.id,
      error: error instanceof Error ? error.message : String(error),
    });
    return facts;
  }
  for (const refund of refunds) {
    const payuRefundId = String(refund.refundId);
    facts.push(
      ...(refundFacts({
        payuRefundId,
        refundId: knownRefundId(payment, refund) ?? payuRefundId,
        status: refund.status,
        amount: refund.amount,
        currency: refund.currencyCode ?? payment.currency,
      }) ?? []),
    );
  }
  return facts;
}
