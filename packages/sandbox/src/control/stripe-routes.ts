import type { Sandbox } from '../index';
import type { StripeAction } from '../stripe/index';
import { ControlError, idField, type JsonInput, simulatorOperation } from './http';

interface StripeRoute {
  method: 'GET' | 'POST';
  pattern: RegExp;
  run: (input: JsonInput, params: string[]) => unknown;
  doc: string;
}

const DISPUTE_REASONS = [
  'fraudulent',
  'product_not_received',
  'duplicate',
  'general',
  'unrecognized',
] as const;

function oneOf<T extends string>(input: JsonInput, name: string, values: readonly T[]): T {
  const value = input[name];
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw new ControlError('CONTROL_INVALID_INPUT', `${name} must be one of ${values.join(', ')}`);
  }
  return value as T;
}

/** The buyer's action from JSON: exactly one of `card`, `iban` or `authenticate`. */
function action(input: JsonInput): StripeAction {
  const given = ['card', 'iban', 'authenticate'].filter((key) => input[key] !== undefined);
  if (given.length !== 1) {
    throw new ControlError('CONTROL_INVALID_INPUT', 'give exactly one of card, iban or authenticate');
  }
  const email = input.email;
  if (email !== undefined && (typeof email !== 'string' || email.length > 200)) {
    throw new ControlError('CONTROL_INVALID_INPUT', 'email must be a string of at most 200 characters');
  }
  const extra = typeof email === 'string' ? { email } : {};
  if (input.authenticate !== undefined)
    return { authenticate: oneOf(input, 'authenticate', ['complete', 'fail']) };
  const key = given[0] as 'card' | 'iban';
  const value = input[key];
  if (typeof value !== 'string' || !/^[A-Za-z0-9 -]{4,40}$/.test(value)) {
    throw new ControlError('CONTROL_INVALID_INPUT', `${key} must be a card number or IBAN string`);
  }
  return key === 'card' ? { card: value, ...extra } : { iban: value, ...extra };
}

/** `/_control/stripe/…`: what tests do with `sandbox.stripe`, over HTTP for a standalone sandbox. */
export function stripeControlRoutes(sandbox: Sandbox): StripeRoute[] {
  const { stripe } = sandbox;
  return [
    {
      method: 'GET',
      pattern: /^\/stripe\/objects\/([A-Za-z0-9_]{1,100})$/,
      doc: 'GET /_control/stripe/objects/:id: any Stripe object (session, intent, charge, refund, dispute, event…), on any account',
      run: (_input, [id]) => {
        const object = stripe.object(id as string);
        if (!object) throw new ControlError('CONTROL_UNKNOWN_TARGET', `no Stripe object ${id}`);
        return object;
      },
    },
    {
      method: 'GET',
      pattern: /^\/stripe\/webhook-endpoints$/,
      doc: 'GET /_control/stripe/webhook-endpoints: endpoints (url, connect, events; never the secrets)',
      run: () => ({
        endpoints: stripe
          .webhookEndpoints()
          .map(({ id, url, connect, enabledEvents }) => ({ id, url, connect, enabledEvents })),
      }),
    },
    {
      method: 'POST',
      pattern: /^\/stripe\/act$/,
      doc: 'POST /_control/stripe/act {"sessionId", "card" | "iban" | "authenticate": "complete"|"fail", "email"?}: the buyer on the hosted page',
      run: (input) => {
        const sessionId = idField(input, 'sessionId');
        const buyer = action(input);
        return { step: simulatorOperation(() => stripe.act(sessionId, buyer)) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/stripe\/expire$/,
      doc: 'POST /_control/stripe/expire {"sessionId"}: an open session expires now',
      run: (input) => {
        const sessionId = idField(input, 'sessionId');
        if (!stripe.object(sessionId))
          throw new ControlError('CONTROL_UNKNOWN_TARGET', `no Checkout Session ${sessionId}`);
        simulatorOperation(() => stripe.expire(sessionId));
        return { session: stripe.object(sessionId) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/stripe\/refunds\/settle$/,
      doc: 'POST /_control/stripe/refunds/settle {"refundId", "status": "succeeded"|"failed"}: a pending refund settles, or a refund fails',
      run: (input) => {
        const refundId = idField(input, 'refundId');
        const status = oneOf(input, 'status', ['succeeded', 'failed']);
        simulatorOperation(() => stripe.settleRefund(refundId, status));
        return { refund: stripe.object(refundId) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/stripe\/dispute$/,
      doc: 'POST /_control/stripe/dispute {"id": pi_… or ch_…, "reason"?}: the cardholder disputes the payment',
      run: (input) => {
        const id = idField(input, 'id');
        const reason = input.reason === undefined ? undefined : oneOf(input, 'reason', DISPUTE_REASONS);
        const disputeId = simulatorOperation(() => stripe.dispute(id, reason));
        return { dispute: stripe.object(disputeId) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/stripe\/disputes\/close$/,
      doc: 'POST /_control/stripe/disputes/close {"disputeId", "outcome": "won"|"lost"}',
      run: (input) => {
        const disputeId = idField(input, 'disputeId');
        const outcome = oneOf(input, 'outcome', ['won', 'lost']);
        simulatorOperation(() => stripe.closeDispute(disputeId, outcome));
        return { dispute: stripe.object(disputeId) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/stripe\/subscriptions\/fail-next-renewal$/,
      doc: 'POST /_control/stripe/subscriptions/fail-next-renewal {"subscriptionId"}: the next renewal is declined',
      run: (input) => {
        const subscriptionId = idField(input, 'subscriptionId');
        simulatorOperation(() => stripe.failNextRenewal(subscriptionId));
        return { ok: true };
      },
    },
  ];
}
