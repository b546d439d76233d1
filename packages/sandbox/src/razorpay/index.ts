import type { Delivery } from '../lib/delivery';
import type { BrokerSimulator, BrowserStep, SimulatorEnv } from '../lib/simulator';
import { apiErrorFault, type RazorpayFaults } from './faults';
import { hostedPage } from './hosted-page';
import { authenticate, json, razorpayError } from './http';
import { act, expireDue, processDueRefunds, type RazorpayAction, settleRefund } from './lifecycle';
import { cancelLink, createLink, listLinks, ownedLink, updateLink } from './links-api';
import {
  RAZORPAY_SANDBOX_KEY_ID,
  RAZORPAY_SANDBOX_KEY_SECRET,
  type RazorpayConfig,
  type RazorpayState,
  type RazorpayWebhook,
} from './model';
import {
  capturePayment,
  getRefund,
  listRefunds,
  orderRoute,
  ownedPayment,
  refundPayment,
} from './payments-api';
import { linkView, paymentView } from './views';

export type { RazorpayFaults } from './faults';
export type { RazorpayAction } from './lifecycle';
export {
  RAZORPAY_SANDBOX_KEY_ID,
  RAZORPAY_SANDBOX_KEY_SECRET,
  type RazorpayAccount,
  type RazorpayWebhook,
} from './model';
export { RAZORPAY_RETRY_DELAYS_MS, RAZORPAY_WEBHOOK_TIMEOUT_MS } from './webhooks';

export interface RazorpaySimulatorOptions extends Partial<RazorpayConfig> {
  faults?: RazorpayFaults;
}

export interface RazorpayLinkSnapshot {
  id: string;
  referenceId: string;
  status: string;
  amount: number;
  amountPaid: number;
  currency: string;
  orderId: string | null;
  payments: Array<{ id: string; status: string; amountRefunded: number }>;
  refunds: Array<{ id: string; paymentId: string; amount: number; status: string }>;
}

export interface RazorpaySimulator extends BrokerSimulator {
  faults: RazorpayFaults;
  readonly config: RazorpayConfig;
  /** The buyer's click on the hosted page of a link (schedules the webhooks). */
  act(linkId: string, action: RazorpayAction): BrowserStep;
  /** A pending refund fails (an instant refund the bank refused), with `refund.failed`. */
  failRefund(refundId: string): void;
  /** A pending refund is processed now, with `refund.processed`. */
  processRefund(refundId: string): void;
  links(): RazorpayLinkSnapshot[];
  /** Webhooks disabled after 24 h of failures receive events again (the Dashboard's re-enable). */
  enableWebhooks(): void;
  deliveries(): Delivery[];
}

export function createRazorpaySimulator(
  env: SimulatorEnv,
  options: RazorpaySimulatorOptions = {},
): RazorpaySimulator {
  const { faults, ...rest } = options;
  const config: RazorpayConfig = {
    accounts: [{ keyId: RAZORPAY_SANDBOX_KEY_ID, keySecret: RAZORPAY_SANDBOX_KEY_SECRET }],
    webhooks: [] as RazorpayWebhook[],
    captureMode: 'auto',
    refundProcessingMs: 60_000,
    escapeSlashes: true,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
  const state: RazorpayState = {
    env,
    config,
    faults: faults ?? {},
    links: new Map(),
    orders: new Map(),
    payments: new Map(),
    refunds: new Map(),
    refundKeys: new Map(),
    reenabled: new Set(),
  };
  // Time-driven changes happen when the sandbox delivers: expiries and refund processing.
  env.queue.onFlush(() => {
    expireDue(state);
    processDueRefunds(state);
  });
  const refund = (id: string) => {
    const found = state.refunds.get(id);
    if (!found) throw new Error(`Razorpay sandbox: no refund ${id}`);
    return found;
  };
  return {
    get faults() {
      return state.faults;
    },
    set faults(value: RazorpayFaults) {
      state.faults = value;
    },
    config,
    handle: (request, path) => route(state, request, path),
    act: (linkId, action) => act(state, linkId, action),
    failRefund: (id) => settleRefund(state, refund(id), 'failed'),
    processRefund: (id) => settleRefund(state, refund(id), 'processed'),
    links: () =>
      [...state.links.values()].map((l) => ({
        id: l.id,
        referenceId: l.referenceId,
        status: l.status,
        amount: l.amount,
        amountPaid: l.amountPaid,
        currency: l.currency,
        orderId: l.orderId,
        payments: [...state.payments.values()]
          .filter((p) => p.linkId === l.id)
          .map((p) => ({ id: p.id, status: p.status, amountRefunded: p.amountRefunded })),
        refunds: [...state.refunds.values()]
          .filter((r) => state.payments.get(r.paymentId)?.linkId === l.id)
          .map((r) => ({ id: r.id, paymentId: r.paymentId, amount: r.amount, status: r.status })),
      })),
    enableWebhooks() {
      for (const d of env.queue.deliveries)
        if (d.broker === 'razorpay' && d.state === 'gave-up') state.reenabled.add(d.id);
    },
    deliveries: () => env.queue.deliveries.filter((d) => d.broker === 'razorpay'),
  } satisfies RazorpaySimulator;
}

const API = /^\/v1\/(payment_links|orders|payments|refunds)(?:\/([^/]+)(?:\/([a-z_]+))?)?\/?$/;

async function route(state: RazorpayState, request: Request, path: string): Promise<Response> {
  const page = /^\/i\/([A-Za-z0-9]+)\/?$/.exec(path);
  if (page) return hostedPage(state, request, page[1] as string);
  if (!path.startsWith('/v1/')) return new Response('Not found in the Razorpay sandbox', { status: 404 });
  const injected = apiErrorFault(state.faults);
  if (injected) return injected;
  const account = authenticate(request, state.config.accounts);
  if (account instanceof Response) return account;
  expireDue(state);
  const match = API.exec(path);
  if (!match) return razorpayError(400, 'The requested URL was not found on the server.');
  const [, resource, rawId, sub] = match;
  const id = rawId ? decodeURIComponent(rawId) : undefined;
  const method = request.method;
  const wrongMethod = () => razorpayError(400, `The requested URL does not support ${method}.`);
  if (resource === 'payment_links') {
    if (!id) {
      if (method === 'POST') return createLink(state, account, request);
      return method === 'GET' ? listLinks(state, account, new URL(request.url)) : wrongMethod();
    }
    const link = ownedLink(state, account, id);
    if (link instanceof Response) return link;
    if (sub === 'cancel') return method === 'POST' ? cancelLink(state, link) : wrongMethod();
    if (sub) return wrongMethod();
    if (method === 'GET') return json(linkView(state, link));
    return method === 'PATCH' ? updateLink(state, link, request) : wrongMethod();
  }
  if (resource === 'orders') {
    if (!id || method !== 'GET' || (sub && sub !== 'payments')) return wrongMethod();
    return orderRoute(state, account, id, sub);
  }
  if (resource === 'refunds')
    return id && method === 'GET' && !sub ? getRefund(state, account, id) : wrongMethod();
  if (!id) return wrongMethod();
  const payment = ownedPayment(state, account, id);
  if (payment instanceof Response) return payment;
  if (!sub) return method === 'GET' ? json(paymentView(payment)) : wrongMethod();
  if (sub === 'capture') return method === 'POST' ? capturePayment(state, payment, request) : wrongMethod();
  if (sub === 'refund') return method === 'POST' ? refundPayment(state, payment, request) : wrongMethod();
  if (sub === 'refunds') return method === 'GET' ? listRefunds(state, payment) : wrongMethod();
  return wrongMethod();
}
