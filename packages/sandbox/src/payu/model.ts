import type { SimulatorEnv } from '../lib/simulator';
import type { PayuFaults } from './faults';
import type { PayuSignatureAlgorithm } from './signature';

/** Order statuses of REST v2.1 (reference §4.5). */
export type PayuOrderStatus = 'NEW' | 'PENDING' | 'WAITING_FOR_CONFIRMATION' | 'COMPLETED' | 'CANCELED';
export type PayuRefundStatus = 'PENDING' | 'FINALIZED' | 'CANCELED';

/** One point of sale: the four values PayU's merchant panel shows (reference §2). */
export interface PayuPos {
  posId: string;
  clientId: string;
  clientSecret: string;
  secondKey: string;
  /** The shop's transaction currency; orders in another currency are refused. Any currency when absent. */
  currency?: string;
}

/** PayU's published public test POSes (reference §1): safe to embed. */
export const PUBLIC_TEST_POS: readonly PayuPos[] = [
  {
    posId: '300746',
    clientId: '300746',
    clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
    secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
    currency: 'PLN',
  },
  {
    posId: '404815',
    clientId: '404815',
    clientSecret: '89e263df5657cccfe7d1d2a0f50b6e41',
    secondKey: '87f410056e1ec5ff64f6bea777a0e694',
    currency: 'BGN',
  },
  {
    posId: '145227',
    clientId: '145227',
    clientSecret: '12f071174cb7eb79d4aac5bc2f07563f',
    secondKey: '13a980d4f851f3d9a1cfc792fb1f5e50',
    currency: 'PLN',
  },
];

/** Resolved simulator settings. The UNCONFIRMED points of the reference are settings, not constants. */
export interface PayuConfig {
  pos: PayuPos[];
  signatureAlgorithm: PayuSignatureAlgorithm;
  tokenTtlSeconds: number;
  /** Reference §4.4: the retry table's times may count from the first attempt or from the previous one. */
  retryOffsets: 'from-first' | 'from-previous';
  /** HTTP status of "Order has incorrect status. Transition is impossible." (reference §3.2: a 4xx, exact value unknown). */
  transitionErrorStatus: number;
  /** Statuses a DELETE may cancel (reference §5.3: documented for WAITING_FOR_CONFIRMATION only). */
  cancelableStatuses: PayuOrderStatus[];
  /** GET …/refunds answers `{ refunds: [...] }` or a bare array (reference §5.4). */
  refundListShape: 'wrapped' | 'array';
  /** Refuse orders whose products do not add up to totalAmount (reference §3: not known to be checked). */
  validateProductTotal: boolean;
  /** Also send a refund notification when a refund is queued (PENDING), not only when it ends. */
  notifyPendingRefunds: boolean;
  /**
   * Put the merchant's `extRefundId` in refund notifications. The documented notification has none
   * (reference §4.2), so a backend must learn which of its refunds it is some other way.
   */
  refundNotificationExtRefundId: boolean;
  /** How long PayU waits for the merchant's answer to a notification. */
  notificationTimeoutMs: number;
}

export interface SimRefund {
  refundId: string;
  extRefundId?: string;
  amount: number;
  currencyCode: string;
  description: string;
  bankDescription?: string;
  type?: string;
  status: PayuRefundStatus;
  createdAt: number;
  statusAt: number;
  /** Canonical request data: an identical request returns this refund again (reference §5.4). */
  requestKey: string;
}

export interface SimOrder {
  orderId: string;
  extOrderId?: string;
  posId: string;
  createdAt: number;
  notifyUrl?: string;
  continueUrl?: string;
  customerIp: string;
  description: string;
  additionalDescription?: string;
  currencyCode: string;
  totalAmount: number;
  validityTime: number;
  buyer?: Record<string, unknown>;
  products: Record<string, unknown>[];
  status: PayuOrderStatus;
  /** Opaque token of the hosted page URL (a JWT at PayU). */
  pageToken: string;
  /** The "Trans ID" (PAYMENT_ID property) once the buyer paid. */
  paymentId?: string;
  completedAt?: number;
  refunds: SimRefund[];
}

export interface IssuedToken {
  posId: string;
  grantType: string;
  expiresAt: number;
}

export interface PayuState {
  env: SimulatorEnv;
  config: PayuConfig;
  faults: PayuFaults;
  orders: Map<string, SimOrder>;
  tokens: Map<string, IssuedToken>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomString(alphabet: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

/** 10 uppercase alnum + yymmdd + `GUEST000P01` = 27 chars, e.g. LDLW5N7MF4140324GUEST000P01 (reference §3.1). */
export function newOrderId(now: number): string {
  const { year = '', month = '', day = '' } = warsawParts(now);
  return `${randomString(ALNUM, 10)}${year.slice(2)}${month}${day}GUEST000P01`;
}

/** PayU's refund ids are numeric strings (e.g. 5000000142). */
export function newRefundId(): string {
  return `5${randomString('0123456789', 9)}`;
}

export function newPaymentId(): string {
  return `1${randomString('0123456789', 8)}`;
}

export function newPageToken(): string {
  return randomString('abcdefghijklmnopqrstuvwxyz0123456789', 40);
}

function warsawParts(ms: number): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Warsaw',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(ms));
  const found: Record<string, string> = {};
  for (const part of parts) found[part.type] = part.value;
  return found;
}

/** ISO-8601 with millis and Warsaw offset, as PayU writes timestamps: 2016-03-02T12:58:14.828+01:00 (§4.1). */
export function payuTimestamp(ms: number): string {
  const p = warsawParts(ms);
  const offset = (p.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  const millis = String(new Date(ms).getUTCMilliseconds()).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${millis}${offset}`;
}

/** The order as GET /orders/{id} and notifications show it: amounts as strings, absent fields left out. */
export function orderView(order: SimOrder, status: PayuOrderStatus = order.status): Record<string, unknown> {
  return {
    orderId: order.orderId,
    ...(order.extOrderId === undefined ? {} : { extOrderId: order.extOrderId }),
    orderCreateDate: payuTimestamp(order.createdAt),
    ...(order.notifyUrl === undefined ? {} : { notifyUrl: order.notifyUrl }),
    customerIp: order.customerIp,
    merchantPosId: order.posId,
    description: order.description,
    ...(order.additionalDescription === undefined
      ? {}
      : { additionalDescription: order.additionalDescription }),
    validityTime: String(order.validityTime),
    currencyCode: order.currencyCode,
    totalAmount: String(order.totalAmount),
    ...(order.buyer === undefined ? {} : { buyer: order.buyer }),
    ...(order.paymentId === undefined ? {} : { payMethod: { type: 'PBL' } }),
    products: order.products,
    status,
  };
}

export function orderProperties(order: SimOrder): Array<{ name: string; value: string }> {
  return order.paymentId === undefined ? [] : [{ name: 'PAYMENT_ID', value: order.paymentId }];
}

export function refundView(refund: SimRefund): Record<string, unknown> {
  return {
    refundId: refund.refundId,
    ...(refund.extRefundId === undefined ? {} : { extRefundId: refund.extRefundId }),
    amount: String(refund.amount),
    currencyCode: refund.currencyCode,
    description: refund.description,
    ...(refund.bankDescription === undefined ? {} : { bankDescription: refund.bankDescription }),
    creationDateTime: payuTimestamp(refund.createdAt),
    status: refund.status,
    statusDateTime: payuTimestamp(refund.statusAt),
  };
}

/** Refunded or being refunded: CANCELED refunds give their amount back to the order. */
export function refundedOrQueued(order: SimOrder): number {
  return order.refunds.filter((r) => r.status !== 'CANCELED').reduce((sum, r) => sum + r.amount, 0);
}
