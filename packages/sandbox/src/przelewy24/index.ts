import type { Delivery } from '../lib/delivery';
import type { BrokerSimulator, BrowserStep, SimulatorEnv } from '../lib/simulator';
import { errorFault, type P24Faults } from './faults';
import { act, hostedPage, type P24Action } from './hosted-page';
import { authenticate, json, p24Error } from './http';
import {
  P24_RETRY_DELAYS_MS,
  P24_SANDBOX_MERCHANT,
  type P24Config,
  type P24Merchant,
  type P24State,
  type P24Status,
} from './model';
import { notifyPaid, releaseHeld } from './notifications';
import { createRefund, refundsByOrderId, settleRefunds } from './refunds';
import { bySessionId, register, verify } from './transactions-api';

export type { P24Faults } from './faults';
export type { P24Action } from './hosted-page';
export {
  P24_CURRENCIES,
  P24_RETRY_DELAYS_MS,
  P24_SANDBOX_MERCHANT,
  type P24Merchant,
  type P24Status,
} from './model';

export interface Przelewy24SimulatorOptions extends Partial<Omit<P24Config, 'merchants'>> {
  /** Shops the simulator knows; default one, `P24_SANDBOX_MERCHANT`. */
  merchants?: P24Merchant[];
  faults?: P24Faults;
}

export interface P24TransactionSnapshot {
  token: string;
  merchantId: number;
  sessionId: string;
  orderId: number | null;
  status: P24Status;
  amount: number;
  currency: string;
  urlStatus?: string;
  refunds: Array<{ requestId: string; refundsUuid: string; amount: number; status: 1 | 2 | 4 }>;
}

export interface Przelewy24Simulator extends BrokerSimulator {
  faults: P24Faults;
  readonly merchants: readonly P24Merchant[];
  /** The buyer's click on `/trnRequest/{token}` (a payment also schedules its signed notification). */
  act(token: string, action: P24Action): BrowserStep;
  /** Send the notifications the `reorder` fault held back, newest first (1 ms apart). Returns how many. */
  releaseHeld(): number;
  /** Pending refunds complete (or are rejected), each with its refund notification. Returns how many. */
  completeRefunds(refundsUuid?: string): number;
  rejectRefunds(refundsUuid?: string): number;
  /** Notify a paid transaction again (as P24's panel "resend notification" does). */
  renotify(token: string): Delivery[];
  transactions(): P24TransactionSnapshot[];
  deliveries(): Delivery[];
}

export function createPrzelewy24Simulator(
  env: SimulatorEnv,
  options: Przelewy24SimulatorOptions = {},
): Przelewy24Simulator {
  const { merchants, faults, ...rest } = options;
  const config: P24Config = {
    merchants: merchants ?? [{ ...P24_SANDBOX_MERCHANT }],
    retryDelaysMs: rest.retryDelaysMs ?? P24_RETRY_DELAYS_MS,
    notificationTimeoutMs: rest.notificationTimeoutMs ?? 10_000,
    autoCompleteRefunds: rest.autoCompleteRefunds ?? false,
  };
  const state: P24State = {
    env,
    config,
    faults: faults ?? {},
    byToken: new Map(),
    bySession: new Map(),
    byOrderId: new Map(),
    refundRequests: new Set(),
    held: [],
    // Above 2^31 - 1, as P24 warns (reference §5.1): a 32-bit column breaks on the first payment.
    nextOrderId: 3_141_592_653,
    nextBatchId: 1,
  };
  return {
    get faults() {
      return state.faults;
    },
    set faults(value: P24Faults) {
      state.faults = value;
    },
    merchants: config.merchants,
    handle: (request, path) => route(state, request, path),
    act: (token, action) => act(state, token, action),
    releaseHeld: () => releaseHeld(state),
    completeRefunds: (uuid) => settleRefunds(state, 'completed', uuid),
    rejectRefunds: (uuid) => settleRefunds(state, 'rejected', uuid),
    renotify(token) {
      const tx = state.byToken.get(token);
      if (!tx || tx.orderId === null) throw new Error(`Przelewy24 sandbox: no paid transaction ${token}`);
      return notifyPaid(state, tx);
    },
    transactions: () =>
      [...state.byToken.values()].map((tx) => ({
        token: tx.token,
        merchantId: tx.merchant.merchantId,
        sessionId: tx.sessionId,
        orderId: tx.orderId,
        status: tx.status,
        amount: tx.amount,
        currency: tx.currency,
        ...(tx.urlStatus === undefined ? {} : { urlStatus: tx.urlStatus }),
        refunds: tx.refunds.map((r) => ({
          requestId: r.requestId,
          refundsUuid: r.refundsUuid,
          amount: r.amount,
          status: r.status,
        })),
      })),
    deliveries: () => env.queue.deliveries.filter((d) => d.broker === 'przelewy24'),
  } satisfies Przelewy24Simulator;
}

const methodNotAllowed = () => p24Error(405, 'Method not allowed');

async function route(state: P24State, request: Request, path: string): Promise<Response> {
  const page = /^\/trnRequest\/([A-Za-z0-9-]{1,100})\/?$/.exec(path);
  if (page) return hostedPage(state, request, page[1] as string);
  if (!path.startsWith('/api/v1/'))
    return new Response('Not found in the Przelewy24 sandbox', { status: 404 });
  const injected = errorFault(state.faults);
  if (injected) return injected;
  const merchant = authenticate(state, request);
  if (merchant instanceof Response) return merchant;
  const method = request.method;
  const api = path.slice('/api/v1'.length).replace(/\/+$/, '');
  if (api === '/testAccess')
    return method === 'GET' ? json(200, { data: true, error: '' }) : methodNotAllowed();
  if (api === '/transaction/register')
    return method === 'POST' ? register(state, merchant, request) : methodNotAllowed();
  if (api === '/transaction/verify')
    return method === 'PUT' ? verify(state, merchant, request) : methodNotAllowed();
  if (api === '/transaction/refund')
    return method === 'POST' ? createRefund(state, merchant, request) : methodNotAllowed();
  const session = /^\/transaction\/by\/sessionId\/([^/]+)$/.exec(api);
  if (session)
    return method === 'GET'
      ? bySessionId(state, merchant, decodeURIComponent(session[1] as string))
      : methodNotAllowed();
  const refunds = /^\/refund\/by\/orderId\/([^/]+)$/.exec(api);
  if (refunds)
    return method === 'GET'
      ? refundsByOrderId(state, merchant, decodeURIComponent(refunds[1] as string))
      : methodNotAllowed();
  return json(404, { error: 'Not found', code: 404 });
}
