import {
  dataNotFound,
  isObject,
  type JsonObject,
  parseAmount,
  payuError,
  payuJson,
  present,
  readJsonObject,
  transitionImpossible,
  valueInvalid,
  valueMissing,
} from './http';
import {
  newOrderId,
  newPageToken,
  orderProperties,
  orderView,
  type PayuPos,
  type PayuState,
  type SimOrder,
} from './model';
import { notifyOrder } from './notifications';

const REQUIRED = ['customerIp', 'merchantPosId', 'description', 'currencyCode', 'totalAmount'] as const;

/** An order the token's POS may act on, or PayU's 404 / 403 (reference §2 gotcha, §5.1). */
export function ownedOrder(state: PayuState, pos: PayuPos, orderId: string): SimOrder | Response {
  const order = state.orders.get(orderId);
  if (!order) return dataNotFound(`Order ${orderId} not found`);
  if (order.posId !== pos.posId) return invalidAuth();
  return order;
}

const invalidAuth = () =>
  payuError(403, 'ERROR_VALUE_INVALID', {
    severity: 'ERROR',
    codeLiteral: 'INVALID_AUTH_FOR_THIS_ORDER',
    statusDesc: 'Invalid authorization for this order',
  });

function validIp(ip: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255);
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
}

function validUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `POST /api/v2_1/orders`: validates like PayU, answers 302 + Location + JSON (reference §3, §3.1). */
export async function createOrder(state: PayuState, pos: PayuPos, request: Request): Promise<Response> {
  const read = await readJsonObject(request);
  if ('response' in read) return read.response;
  const body = read.value;
  for (const field of REQUIRED) if (!present(body[field])) return valueMissing(field);
  if (!Array.isArray(body.products) || body.products.length === 0) return valueMissing('products');
  if (String(body.merchantPosId) !== pos.posId) return invalidAuth();

  const customerIp = String(body.customerIp);
  if (customerIp === '0.0.0.0' || !validIp(customerIp)) return valueInvalid('Invalid customerIp');
  const currencyCode = String(body.currencyCode);
  if (!/^[A-Z]{3}$/.test(currencyCode)) return valueInvalid('Invalid currencyCode');
  if (pos.currency && pos.currency !== currencyCode) {
    // Observed body for an order in another currency than the POS's (payu-recurring.md §7).
    return payuError(400, 'ERROR_INCONSISTENT_CURRENCIES', {
      statusDesc: 'Order and pos currencies are inconsistent',
    });
  }
  const totalAmount = parseAmount(body.totalAmount);
  if (totalAmount === null || totalAmount === 0) return valueInvalid('Invalid totalAmount');
  const products = checkProducts(body.products);
  if (products instanceof Response) return products;
  if (state.config.validateProductTotal) {
    const sum = products.reduce((total, p) => total + Number(p.unitPrice) * Number(p.quantity), 0);
    if (sum !== totalAmount) return valueInvalid('Sum of products does not match totalAmount');
  }
  for (const field of ['notifyUrl', 'continueUrl'] as const) {
    if (body[field] !== undefined && !validUrl(body[field])) return valueInvalid(`Invalid ${field}`);
  }
  if (typeof body.continueUrl === 'string' && body.continueUrl.length > 1024) {
    return valueInvalid('continueUrl is longer than 1024 characters');
  }
  const extOrderId = present(body.extOrderId) ? String(body.extOrderId) : undefined;
  if (extOrderId !== undefined) {
    const taken = [...state.orders.values()].some(
      (o) => o.posId === pos.posId && o.extOrderId === extOrderId,
    );
    if (taken) {
      return payuError(400, 'ERROR_ORDER_NOT_UNIQUE', {
        severity: 'ERROR',
        statusDesc: 'Order already exists',
      });
    }
  }
  const validityTime = body.validityTime === undefined ? 86400 : parseAmount(body.validityTime);
  if (validityTime === null || validityTime === 0) return valueInvalid('Invalid validityTime');
  if (body.buyer !== undefined && !isObject(body.buyer)) return valueInvalid('Invalid buyer');

  const now = state.env.clock.now();
  const order: SimOrder = {
    orderId: newOrderId(now),
    ...(extOrderId === undefined ? {} : { extOrderId }),
    posId: pos.posId,
    createdAt: now,
    ...(typeof body.notifyUrl === 'string' ? { notifyUrl: body.notifyUrl } : {}),
    ...(typeof body.continueUrl === 'string' ? { continueUrl: body.continueUrl } : {}),
    customerIp,
    description: String(body.description),
    ...(present(body.additionalDescription)
      ? { additionalDescription: String(body.additionalDescription) }
      : {}),
    currencyCode,
    totalAmount,
    validityTime,
    ...(isObject(body.buyer) ? { buyer: body.buyer } : {}),
    products,
    status: 'NEW',
    pageToken: newPageToken(),
    refunds: [],
  };
  state.orders.set(order.orderId, order);
  const redirectUri = hostedPageUrl(state, order);
  return payuJson(
    {
      status: { statusCode: 'SUCCESS' },
      redirectUri,
      orderId: order.orderId,
      ...(extOrderId === undefined ? {} : { extOrderId }),
    },
    302,
    { location: redirectUri },
  );
}

export function hostedPageUrl(state: PayuState, order: SimOrder): string {
  const query = new URLSearchParams({ orderId: order.orderId, token: order.pageToken });
  return `${state.env.baseUrl}/pay/?${query}`;
}

function checkProducts(raw: unknown[]): JsonObject[] | Response {
  const products: JsonObject[] = [];
  for (const [i, product] of raw.entries()) {
    if (!isObject(product)) return valueInvalid(`Invalid products[${i}]`);
    for (const field of ['name', 'unitPrice', 'quantity'] as const) {
      if (!present(product[field])) return valueMissing(`products[${i}].${field}`);
    }
    const unitPrice = parseAmount(product.unitPrice);
    const quantity = parseAmount(product.quantity);
    if (unitPrice === null) return valueInvalid(`Invalid products[${i}].unitPrice`);
    if (quantity === null || quantity === 0) return valueInvalid(`Invalid products[${i}].quantity`);
    // PayU answers amounts as strings whatever the request used.
    products.push({ ...product, unitPrice: String(unitPrice), quantity: String(quantity) });
  }
  return products;
}

/** `GET /api/v2_1/orders/{id}`: `orders` is an array even for one order (reference §5.1). */
export function retrieveOrder(order: SimOrder): Response {
  return payuJson({
    orders: [orderView(order)],
    status: { statusCode: 'SUCCESS', statusDesc: 'Request processing successful' },
    properties: orderProperties(order),
  });
}

/** `DELETE /api/v2_1/orders/{id}` → CANCELED, then a CANCELED notification (reference §5.3). */
export function cancelOrder(state: PayuState, order: SimOrder): Response {
  if (!state.config.cancelableStatuses.includes(order.status)) {
    return transitionImpossible(state.config.transitionErrorStatus);
  }
  order.status = 'CANCELED';
  notifyOrder(state, order);
  return payuJson({
    orderId: order.orderId,
    ...(order.extOrderId === undefined ? {} : { extOrderId: order.extOrderId }),
    status: { statusCode: 'SUCCESS' },
  });
}

/**
 * `POST /api/v2_1/orders/{id}/captures` (and the deprecated `PUT …/status` with orderStatus COMPLETED):
 * only from WAITING_FOR_CONFIRMATION, always the whole order (reference §5.2).
 */
export async function captureOrder(state: PayuState, order: SimOrder, request: Request): Promise<Response> {
  const read = await readJsonObject(request, true);
  if ('response' in read) return read.response;
  if (request.method === 'PUT' && read.value.orderStatus !== 'COMPLETED') {
    return valueInvalid('orderStatus must be COMPLETED');
  }
  if (request.method === 'POST' && read.value.amount !== undefined) {
    const amount = parseAmount(read.value.amount);
    if (amount !== order.totalAmount) return valueInvalid('Partial capture is not supported by this shop');
  }
  if (order.status !== 'WAITING_FOR_CONFIRMATION')
    return transitionImpossible(state.config.transitionErrorStatus);
  order.status = 'COMPLETED';
  order.completedAt = state.env.clock.now();
  notifyOrder(state, order);
  return payuJson({ status: { statusCode: 'SUCCESS', statusDesc: 'Status was updated' } });
}
