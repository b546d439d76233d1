import type { RecurringEvent, Sandbox } from '../index';
import type { Delivery } from '../lib/delivery';
import { crossSiteRefusal } from '../lib/http-guard';
import { type FAULT_BROKERS, replaceFaults, validFaults } from './faults';
import {
  ControlError,
  errorJson,
  idField,
  integerField,
  type JsonInput,
  json,
  optionalDecimal,
  optionalIdField,
  readInput,
  simulatorOperation,
} from './http';
import { stripeControlRoutes } from './stripe-routes';

type Run = (input: JsonInput, params: string[]) => unknown | Promise<unknown>;
interface Route {
  method: 'GET' | 'POST' | 'PUT';
  pattern: RegExp;
  run: Run;
  /** One line for the index (`GET /_control`). */
  doc: string;
}

const MAX_ADVANCE_MS = 400 * 24 * 3600 * 1000;

function deliveryView(delivery: Delivery) {
  return {
    id: delivery.id,
    broker: delivery.broker,
    label: delivery.label,
    url: delivery.call.url,
    method: delivery.call.method,
    state: delivery.state,
    refusal: delivery.refusal,
    dueAt: new Date(delivery.dueAt).toISOString(),
    held: delivery.held,
    attempts: delivery.attempts.map((attempt) => ({
      at: new Date(attempt.at).toISOString(),
      status: attempt.status,
      error: attempt.error,
      body: attempt.body === null ? null : attempt.body.slice(0, 500),
    })),
  };
}

/** The control routes of issue 21: what tests do in-process, over HTTP, for a standalone sandbox. */
export function controlRoutes(sandbox: Sandbox): (request: Request, path: string) => Promise<Response> {
  const { paypal, payu, cmcic } = sandbox;
  const paypalChange = (change: () => void) => {
    const before = paypal.transactions().length;
    simulatorOperation(change);
    return { ok: true, transactions: paypal.transactions().slice(before) };
  };
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^$/,
      doc: 'GET /_control: this index, the test credentials and cards',
      run: () => ({
        baseUrl: sandbox.baseUrl,
        deliveryAllowList: sandbox.deliveryAllowList,
        credentials: sandbox.credentials(),
        routes: routes.map((route) => route.doc),
      }),
    },
    {
      method: 'GET',
      pattern: /^\/deliveries$/,
      doc: 'GET /_control/deliveries: every server-to-server call, with its attempts or refusal',
      run: () => ({ deliveries: sandbox.queue.deliveries.map(deliveryView) }),
    },
    {
      method: 'POST',
      pattern: /^\/deliver$/,
      doc: 'POST /_control/deliver: make every call that is due now',
      run: async () => ({ attempts: await sandbox.flush() }),
    },
    {
      method: 'GET',
      pattern: /^\/clock$/,
      doc: 'GET /_control/clock: the simulators’ time',
      run: () => ({ now: new Date(sandbox.clock.now()).toISOString(), manual: sandbox.clock.manual }),
    },
    {
      method: 'POST',
      pattern: /^\/advance$/,
      doc: 'POST /_control/advance {"ms": n}: move the clock forward and deliver what became due',
      run: async (input) => {
        const ms = integerField(input, 'ms', 0, MAX_ADVANCE_MS);
        simulatorOperation(() => sandbox.clock.advance(ms));
        const attempts = await sandbox.flush();
        return { now: new Date(sandbox.clock.now()).toISOString(), attempts };
      },
    },
    {
      method: 'GET',
      pattern: /^\/faults$/,
      doc: 'GET /_control/faults: the active faults per broker',
      run: () => ({
        paypal: paypal.faults,
        payu: payu.faults,
        cmcic: cmcic.faults,
        stripe: sandbox.stripe.faults,
      }),
    },
    {
      method: 'PUT',
      pattern: /^\/faults\/(paypal|payu|cmcic|stripe)$/,
      doc: 'PUT /_control/faults/:broker {…}: replace that broker’s faults ({} switches all off)',
      run: (input, [broker]) => {
        const name = broker as (typeof FAULT_BROKERS)[number];
        const faults = validFaults(name, input);
        replaceFaults(sandbox[name].faults, faults);
        return { [name]: sandbox[name].faults };
      },
    },
    {
      method: 'GET',
      pattern: /^\/paypal\/transactions$/,
      doc: 'GET /_control/paypal/transactions',
      run: () => ({ transactions: paypal.transactions() }),
    },
    {
      method: 'GET',
      pattern: /^\/paypal\/subscriptions$/,
      doc: 'GET /_control/paypal/subscriptions',
      run: () => ({ subscriptions: paypal.subscriptions() }),
    },
    {
      method: 'POST',
      pattern: /^\/paypal\/refund$/,
      doc: 'POST /_control/paypal/refund {"txnId", "amount"?}: back-office refund (full by default) → Refunded IPN',
      run: (input) => {
        const txnId = idField(input, 'txnId');
        const amount = optionalDecimal(input, 'amount');
        return paypalChange(() => paypal.refund(txnId, amount));
      },
    },
    {
      method: 'POST',
      pattern: /^\/paypal\/reverse$/,
      doc: 'POST /_control/paypal/reverse {"txnId", "reasonCode"?}: chargeback → Reversed IPN',
      run: (input) => {
        const txnId = idField(input, 'txnId');
        const reasonCode = optionalIdField(input, 'reasonCode');
        return paypalChange(() => paypal.reverse(txnId, reasonCode));
      },
    },
    ...(
      [
        ['cancel-reversal', 'cancelReversal', 'Canceled_Reversal IPN'],
        ['complete-pending', 'completePending', 'a Pending payment completes'],
        ['deny-pending', 'denyPending', 'a Pending payment is denied'],
        ['fail-pending', 'failPending', 'a Pending payment fails'],
      ] as const
    ).map(
      ([path, method, what]): Route => ({
        method: 'POST',
        pattern: new RegExp(`^/paypal/${path}$`),
        doc: `POST /_control/paypal/${path} {"txnId"}: ${what}`,
        run: (input) => {
          const txnId = idField(input, 'txnId');
          return paypalChange(() => paypal[method](txnId));
        },
      }),
    ),
    ...(
      [
        ['cancel', 'cancelSubscription'],
        ['end', 'endSubscription'],
        ['fail-payment', 'failSubscriptionPayment'],
      ] as const
    ).map(
      ([path, method]): Route => ({
        method: 'POST',
        pattern: new RegExp(`^/paypal/subscriptions/${path}$`),
        doc: `POST /_control/paypal/subscriptions/${path} {"subscrId"}`,
        run: (input) => {
          const subscrId = idField(input, 'subscrId');
          simulatorOperation(() => paypal[method](subscrId));
          return { ok: true, subscriptions: paypal.subscriptions().filter((s) => s.subscrId === subscrId) };
        },
      }),
    ),
    {
      method: 'POST',
      pattern: /^\/paypal\/subscriptions\/recurring$/,
      doc: 'POST /_control/paypal/subscriptions/recurring {"subscrId", "event": "profile_cancel"|"suspended_due_to_max_failed_payment"|"skipped"|"failed"}: recurring_payment_* IPN',
      run: (input) => {
        const subscrId = idField(input, 'subscrId');
        const event = input.event;
        const events = ['profile_cancel', 'suspended_due_to_max_failed_payment', 'skipped', 'failed'];
        if (typeof event !== 'string' || !events.includes(event)) {
          throw new ControlError('CONTROL_INVALID_INPUT', `event must be one of ${events.join(', ')}`);
        }
        simulatorOperation(() => paypal.recurringPaymentEvent(subscrId, event as RecurringEvent));
        return { ok: true, subscriptions: paypal.subscriptions().filter((s) => s.subscrId === subscrId) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/payu\/orders$/,
      doc: 'GET /_control/payu/orders: orders with their refunds',
      run: () => ({ orders: payu.orders() }),
    },
    {
      method: 'POST',
      pattern: /^\/payu\/refunds\/finalize$/,
      doc: 'POST /_control/payu/refunds/finalize {"refundId"?}: PENDING refund(s) → FINALIZED, with notifications',
      run: (input) => {
        const refundId = optionalIdField(input, 'refundId');
        if (refundId === undefined) return { finalized: payu.finalizeRefunds() };
        simulatorOperation(() => payu.finalizeRefund(refundId));
        return { finalized: 1 };
      },
    },
    {
      method: 'POST',
      pattern: /^\/payu\/refunds\/cancel$/,
      doc: 'POST /_control/payu/refunds/cancel {"refundId"}: a PENDING refund fails (CANCELED)',
      run: (input) => {
        const refundId = idField(input, 'refundId');
        simulatorOperation(() => payu.cancelRefund(refundId));
        return { ok: true };
      },
    },
    {
      method: 'POST',
      pattern: /^\/payu\/expire-tokens$/,
      doc: 'POST /_control/payu/expire-tokens: every OAuth token stops working',
      run: () => {
        payu.expireTokens();
        return { ok: true };
      },
    },
    {
      method: 'GET',
      pattern: /^\/cmcic\/returns$/,
      doc: 'GET /_control/cmcic/returns: every return-interface call',
      run: () => ({ returns: cmcic.returns() }),
    },
    {
      method: 'GET',
      pattern: /^\/cmcic\/payments$/,
      doc: 'GET /_control/cmcic/payments: paid orders with what was captured and refunded (numauto, dates)',
      run: () => ({ payments: cmcic.payments() }),
    },
    {
      method: 'GET',
      pattern: /^\/cmcic\/operations$/,
      doc: 'GET /_control/cmcic/operations: calls to capture_paiement.cgi and recredit_paiement.cgi with their cdr',
      run: () => ({ operations: cmcic.operations() }),
    },
    ...stripeControlRoutes(sandbox),
  ];
  const ownOrigin = new URL(sandbox.baseUrl).origin;

  return async (request, path) => {
    try {
      const candidates = routes.filter((route) => route.pattern.test(path));
      if (candidates.length === 0)
        throw new ControlError('CONTROL_NOT_FOUND', `no control route ${path.slice(0, 100) || '/'}`);
      const route = candidates.find((candidate) => candidate.method === request.method);
      if (!route) {
        const allow = candidates.map((candidate) => candidate.method).join(', ');
        return errorJson('CONTROL_METHOD_NOT_ALLOWED', `use ${allow}`, { allow });
      }
      let input: JsonInput = {};
      if (route.method !== 'GET') {
        const refusal = crossSiteRefusal(request, ownOrigin);
        if (refusal) throw new ControlError('CONTROL_CROSS_SITE', refusal);
        input = await readInput(request);
      }
      const params = (route.pattern.exec(path) ?? []).slice(1);
      return json(await route.run(input, params));
    } catch (error) {
      if (error instanceof ControlError) return errorJson(error.code, error.message);
      throw error;
    }
  };
}
