import type { Delivery } from '../lib/delivery';
import type { BrokerSimulator, BrowserStep, SimulatorEnv } from '../lib/simulator';
import { apiErrorFault, type FlutterwaveFaults, lostAnswerFault } from './faults';
import { act, type FlutterwaveAction, hostedPage, settle } from './hosted-page';
import { bearerRefusal, errorJson } from './http';
import {
  FLUTTERWAVE_RETRY_DELAYS_MS,
  FLUTTERWAVE_SANDBOX_SECRET_HASH,
  FLUTTERWAVE_SANDBOX_SECRET_KEY,
  type FlutterwaveConfig,
  type FlutterwaveState,
  transactionView,
} from './model';
import { createPayment } from './payments';
import { getRefund, listRefunds, refundTransaction } from './refunds';
import { resendHook, verifyById, verifyByReference } from './transactions';
import { releaseHeld } from './webhooks';

export type { FlutterwaveFaults } from './faults';
export type { FlutterwaveAction } from './hosted-page';
export {
  FLUTTERWAVE_RETRY_DELAYS_MS,
  FLUTTERWAVE_SANDBOX_CURRENCIES,
  FLUTTERWAVE_SANDBOX_SECRET_HASH,
  FLUTTERWAVE_SANDBOX_SECRET_KEY,
} from './model';
export { flutterwaveSignature } from './webhooks';

export interface FlutterwaveSimulatorOptions extends Partial<FlutterwaveConfig> {
  faults?: FlutterwaveFaults;
}

export interface FlutterwaveSimulator extends BrokerSimulator {
  faults: FlutterwaveFaults;
  readonly config: Readonly<FlutterwaveConfig>;
  /** The buyer's action on the hosted page whose link ends with `linkId`. */
  act(linkId: string, action: FlutterwaveAction): BrowserStep;
  /** A pending (bank transfer) transaction succeeds or fails; its webhook goes out. */
  settle(transactionId: number, outcome: 'successful' | 'failed'): void;
  /** Pending refunds (`refundStatus: 'pending'`) become completed. Returns how many. */
  completeRefunds(): number;
  /** Deliver webhooks held by the reorder fault, newest first. */
  releaseHeld(): Promise<number>;
  /** The hosted link id of the payment registered with `txRef` (tests drive its page by it), or null. */
  linkFor(txRef: string): string | null;
  /** Transactions as `/verify` shows them. */
  transactions(): Array<Record<string, unknown>>;
  deliveries(): Delivery[];
}

export function createFlutterwaveSimulator(
  env: SimulatorEnv,
  options: FlutterwaveSimulatorOptions = {},
): FlutterwaveSimulator {
  const { faults, ...rest } = options;
  const config: FlutterwaveConfig = {
    secretKeys: [FLUTTERWAVE_SANDBOX_SECRET_KEY],
    secretHash: FLUTTERWAVE_SANDBOX_SECRET_HASH,
    webhookUrl: null,
    signatureHeader: true,
    retries: true,
    retryDelaysMs: FLUTTERWAVE_RETRY_DELAYS_MS,
    refundStatus: 'completed',
    webhookTimeoutMs: 10_000,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
  const state: FlutterwaveState = {
    env,
    config,
    faults: faults ?? {},
    checkouts: new Map(),
    checkoutsByRef: new Map(),
    transactions: new Map(),
    refunds: new Map(),
    nextTransactionId: 2_784_792,
    nextRefundId: 75_923,
  };
  return {
    get faults() {
      return state.faults;
    },
    set faults(value: FlutterwaveFaults) {
      state.faults = value;
    },
    config,
    handle: (request, path) => route(state, request, path),
    act: (linkId, action) => act(state, linkId, action),
    settle: (transactionId, outcome) => settle(state, transactionId, outcome),
    completeRefunds() {
      let count = 0;
      for (const refund of state.refunds.values()) {
        if (refund.status === 'pending') {
          refund.status = 'completed';
          count++;
        }
      }
      return count;
    },
    releaseHeld: () => releaseHeld(state),
    linkFor: (txRef) => state.checkoutsByRef.get(txRef)?.linkId ?? null,
    transactions: () => [...state.transactions.values()].map((tx) => transactionView(tx)),
    deliveries: () => env.queue.deliveries.filter((d) => d.broker === 'flutterwave'),
  };
}

const notAllowed = () => errorJson(405, 'Method not allowed');

async function route(state: FlutterwaveState, request: Request, path: string): Promise<Response> {
  const hosted = /^\/v3\/hosted\/pay\/([a-f0-9]+)\/?$/.exec(path);
  if (hosted) return hostedPage(state, request, hosted[1] as string);
  if (!path.startsWith('/v3/')) return new Response('Not found in the Flutterwave sandbox', { status: 404 });
  const injected = apiErrorFault(state.faults);
  if (injected) return injected;
  const refusal = bearerRefusal(request, state.config.secretKeys);
  if (refusal) return refusal;
  const method = request.method;
  const url = new URL(request.url);
  if (path === '/v3/payments') return method === 'POST' ? createPayment(state, request) : notAllowed();
  if (path === '/v3/transactions/verify_by_reference') {
    return method === 'GET' ? verifyByReference(state, url) : notAllowed();
  }
  const tx = /^\/v3\/transactions\/([^/]+)\/(verify|refund|resend-hook)$/.exec(path);
  if (tx) {
    const [, id = '', action] = tx;
    if (action === 'verify')
      return method === 'GET' ? verifyById(state, decodeURIComponent(id)) : notAllowed();
    if (method !== 'POST') return notAllowed();
    if (action !== 'refund') return resendHook(state, id);
    const answer = await refundTransaction(state, id, request);
    return (answer.ok && lostAnswerFault(state.faults)) || answer;
  }
  if (path === '/v3/refunds') return method === 'GET' ? listRefunds(state, url) : notAllowed();
  const refund = /^\/v3\/refunds\/([^/]+)$/.exec(path);
  if (refund) return method === 'GET' ? getRefund(state, refund[1] as string) : notAllowed();
  return errorJson(404, 'Route not found');
}
