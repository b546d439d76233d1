import type { Delivery } from '../lib/delivery';
import type { BrokerSimulator, BrowserStep, SimulatorEnv } from '../lib/simulator';
import { delayFault, errorFault, lateAnswerFault, type PayuFaults } from './faults';
import { act, hostedPage, type PayuAction } from './hosted-page';
import { dataNotFound, payuError } from './http';
import {
  type PayuConfig,
  type PayuOrderStatus,
  type PayuPos,
  type PayuRefundStatus,
  type PayuState,
  PUBLIC_TEST_POS,
} from './model';
import { authenticate, authorize, expireTokens } from './oauth';
import { cancelOrder, captureOrder, createOrder, ownedOrder, retrieveOrder } from './orders-api';
import { createRefund, finalizeRefunds, getRefund, listRefunds, settleRefund } from './refunds';
import type { PayuSignatureAlgorithm } from './signature';

export type { PayuFaults } from './faults';
export type { PayuAction } from './hosted-page';
export type { PayuOrderStatus, PayuPos, PayuRefundStatus } from './model';
export { PAYU_RETRY_OFFSETS_MS } from './notifications';
export type { PayuSignatureAlgorithm } from './signature';

export interface PayuSimulatorOptions extends Partial<Omit<PayuConfig, 'pos'>> {
  /** Points of sale the simulator knows; defaults to PayU's public test POSes (300746 PLN, 404815 BGN, 145227 PLN). */
  pos?: PayuPos[];
  /** Faults active from the start (the same object as `sandbox.payu.faults`). */
  faults?: PayuFaults;
}

/** What `orders()` shows of each order, for assertions. */
export interface PayuOrderSnapshot {
  id: string;
  extOrderId?: string;
  posId: string;
  status: PayuOrderStatus;
  amount: number;
  currency: string;
  notifyUrl?: string;
  continueUrl?: string;
  refunds: Array<{ id: string; extRefundId?: string; amount: number; status: PayuRefundStatus }>;
}

export interface PayuSimulator extends BrokerSimulator {
  /** Mutable fault switches; assign fields or a whole new object. */
  faults: PayuFaults;
  readonly pos: readonly PayuPos[];
  /** The buyer's click on the hosted page (also schedules the signed notifications). */
  act(orderId: string, action: PayuAction): Promise<BrowserStep>;
  /** Every issued OAuth token becomes invalid: the next API call with one answers 401. */
  expireTokens(): void;
  /** PENDING refunds → FINALIZED, each with its refund notification. Returns how many. */
  finalizeRefunds(): number;
  finalizeRefund(refundId: string): void;
  /** A PENDING refund → CANCELED (the refund failed), with its refund notification. */
  cancelRefund(refundId: string): void;
  orders(): PayuOrderSnapshot[];
  /** The notifications this simulator scheduled, with their attempts. */
  deliveries(): Delivery[];
}

export function createPayuSimulator(env: SimulatorEnv, options: PayuSimulatorOptions = {}): PayuSimulator {
  const { pos, faults, ...rest } = options;
  const config: PayuConfig = {
    pos: pos ?? PUBLIC_TEST_POS.map((p) => ({ ...p })),
    signatureAlgorithm: 'MD5' satisfies PayuSignatureAlgorithm,
    tokenTtlSeconds: 43199,
    retryOffsets: 'from-first',
    transitionErrorStatus: 400,
    cancelableStatuses: ['NEW', 'PENDING', 'WAITING_FOR_CONFIRMATION'],
    refundListShape: 'wrapped',
    validateProductTotal: false,
    notifyPendingRefunds: false,
    refundNotificationExtRefundId: false,
    notificationTimeoutMs: 10_000,
    ...withoutUndefined(rest),
  };
  const state: PayuState = { env, config, faults: faults ?? {}, orders: new Map(), tokens: new Map() };

  return {
    get faults() {
      return state.faults;
    },
    set faults(value: PayuFaults) {
      state.faults = value;
    },
    pos: config.pos,
    async handle(request, path) {
      const response = await route(state, request, path);
      if (path.startsWith('/api/v2_1/')) await lateAnswerFault(state.faults, request);
      return response;
    },
    act: (orderId, action) => act(state, orderId, action),
    expireTokens: () => expireTokens(state),
    finalizeRefunds: () => finalizeRefunds(state),
    finalizeRefund: (refundId) => settleRefund(state, refundId, 'FINALIZED'),
    cancelRefund: (refundId) => settleRefund(state, refundId, 'CANCELED'),
    orders: () =>
      [...state.orders.values()].map((o) => ({
        id: o.orderId,
        ...(o.extOrderId === undefined ? {} : { extOrderId: o.extOrderId }),
        posId: o.posId,
        status: o.status,
        amount: o.totalAmount,
        currency: o.currencyCode,
        ...(o.notifyUrl === undefined ? {} : { notifyUrl: o.notifyUrl }),
        ...(o.continueUrl === undefined ? {} : { continueUrl: o.continueUrl }),
        refunds: o.refunds.map((r) => ({
          id: r.refundId,
          ...(r.extRefundId === undefined ? {} : { extRefundId: r.extRefundId }),
          amount: r.amount,
          status: r.status,
        })),
      })),
    deliveries: () => env.queue.deliveries.filter((d) => d.broker === 'payu'),
  } satisfies PayuSimulator;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const methodNotAllowed = () =>
  payuError(405, 'ERROR_METHOD_NOT_ALLOWED', { statusDesc: 'Method not allowed' });

async function route(state: PayuState, request: Request, path: string): Promise<Response> {
  if (path === '/pay' || path === '/pay/') return hostedPage(state, request);
  if (path === '/pl/standard/user/oauth/authorize') {
    await delayFault(state.faults, request);
    return authorize(state, request);
  }
  const api = /^\/api\/v2_1\/orders(?:\/([^/]+)(?:\/(captures|status|refunds)(?:\/([^/]+))?)?)?\/?$/.exec(
    path,
  );
  if (!path.startsWith('/api/v2_1/')) return new Response('Not found in the PayU sandbox', { status: 404 });
  await delayFault(state.faults, request);
  const injected = errorFault(state.faults);
  if (injected) return injected;
  const auth = authenticate(state, request);
  if ('response' in auth) return auth.response;
  if (!api) return dataNotFound('Resource not found');
  const [, orderId, sub, refundId] = api;
  const method = request.method;
  if (!orderId) return method === 'POST' ? createOrder(state, auth.pos, request) : methodNotAllowed();
  const order = ownedOrder(state, auth.pos, decodeURIComponent(orderId));
  if (order instanceof Response) return order;
  if (!sub) {
    if (method === 'GET') return retrieveOrder(order);
    if (method === 'DELETE') return cancelOrder(state, order);
    return methodNotAllowed();
  }
  if (sub === 'captures') return method === 'POST' ? captureOrder(state, order, request) : methodNotAllowed();
  if (sub === 'status') return method === 'PUT' ? captureOrder(state, order, request) : methodNotAllowed();
  if (refundId) return method === 'GET' ? getRefund(order, decodeURIComponent(refundId)) : methodNotAllowed();
  if (method === 'POST') return createRefund(state, order, request);
  if (method === 'GET') return listRefunds(state, order);
  return methodNotAllowed();
}
