import { createHmac } from 'node:crypto';

/**
 * A scripted Stripe API for the unit tests: keeps the objects tests put in it, answers the v1 paths
 * this backend calls, records every request (form body decoded, headers), and replays by
 * Idempotency-Key. Deliberately small: the protocol-faithful simulator is @paybridge/sandbox's.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  form: URLSearchParams;
  raw: string;
  kind: string | undefined;
}

type Obj = Record<string, unknown> & { id: string };
type Route = (req: RecordedRequest, match: RegExpMatchArray) => { status: number; body: unknown };

const err = (status: number, type: string, code: string, message = code) => ({
  status,
  body: { error: { type, code, message } },
});

export function fakeStripe() {
  const objects = new Map<string, Obj>();
  const requests: RecordedRequest[] = [];
  const replay = new Map<string, { status: number; body: unknown }>();
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}_test${String(++seq).padStart(6, '0')}`;
  let failNext: { status: number; body: unknown } | null = null;

  const get = (id: string) => objects.get(id);
  const put = <T extends Obj>(obj: T): T => {
    objects.set(obj.id, obj);
    return obj;
  };

  const routes: Array<[string, RegExp, Route]> = [
    [
      'POST',
      /^\/v1\/checkout\/sessions$/,
      (req) => {
        const f = req.form;
        const id = nextId('cs');
        const session = put({
          id,
          object: 'checkout.session',
          mode: f.get('mode'),
          status: 'open',
          payment_status: 'unpaid',
          amount_total: Number(f.get('line_items[0][price_data][unit_amount]')),
          currency: f.get('line_items[0][price_data][currency]'),
          client_reference_id: f.get('client_reference_id'),
          metadata: { paybridge_payment_id: f.get('metadata[paybridge_payment_id]') },
          payment_intent: null,
          subscription: null,
          invoice: null,
          url: `https://checkout.stripe.test/c/pay/${id}`,
          livemode: false,
        });
        return { status: 200, body: session };
      },
    ],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, (_r, m) => found(m[1] as string, 'checkout.session')],
    [
      'POST',
      /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      (_r, m) => {
        const s = get(m[1] as string);
        if (!s) return err(404, 'invalid_request_error', 'resource_missing');
        if (s.status !== 'open') return err(400, 'invalid_request_error', 'checkout_session_not_open');
        s.status = 'expired';
        return { status: 200, body: s };
      },
    ],
    ['GET', /^\/v1\/payment_intents\/([^/]+)$/, (_r, m) => found(m[1] as string, 'payment_intent')],
    [
      'POST',
      /^\/v1\/payment_intents\/([^/]+)\/capture$/,
      (req, m) => {
        const pi = get(m[1] as string);
        if (!pi) return err(404, 'invalid_request_error', 'resource_missing');
        if (pi.status !== 'requires_capture')
          return err(400, 'invalid_request_error', 'payment_intent_unexpected_state');
        const amount = Number(req.form.get('amount_to_capture') ?? pi.amount_capturable);
        if (amount > (pi.amount_capturable as number))
          return err(400, 'invalid_request_error', 'amount_too_large');
        Object.assign(pi, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
        return { status: 200, body: pi };
      },
    ],
    [
      'POST',
      /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
      (_r, m) => {
        const pi = get(m[1] as string);
        if (!pi) return err(404, 'invalid_request_error', 'resource_missing');
        if (pi.status === 'succeeded')
          return err(400, 'invalid_request_error', 'payment_intent_unexpected_state');
        Object.assign(pi, {
          status: 'canceled',
          amount_capturable: 0,
          cancellation_reason: 'requested_by_customer',
        });
        return { status: 200, body: pi };
      },
    ],
    [
      'POST',
      /^\/v1\/refunds$/,
      (req) => {
        const pi = get(req.form.get('payment_intent') ?? '');
        if (!pi) return err(404, 'invalid_request_error', 'resource_missing');
        const refunded = [...objects.values()]
          .filter((o) => o.object === 'refund' && o.payment_intent === pi.id && o.status !== 'failed')
          .reduce((sum, o) => sum + (o.amount as number), 0);
        const amount = Number(req.form.get('amount') ?? (pi.amount_received as number) - refunded);
        if (refunded + amount > (pi.amount_received as number))
          return err(400, 'invalid_request_error', 'amount_too_large');
        const refund = put({
          id: nextId('re'),
          object: 'refund',
          amount,
          currency: pi.currency,
          status: refundStatus,
          payment_intent: pi.id,
          charge: null,
          metadata: {
            paybridge_payment_id: req.form.get('metadata[paybridge_payment_id]'),
            paybridge_refund_id: req.form.get('metadata[paybridge_refund_id]'),
          },
        });
        return { status: 200, body: refund };
      },
    ],
    [
      'GET',
      /^\/v1\/refunds$/,
      (req) => {
        const pi = new URLSearchParams(req.raw).get('payment_intent');
        const data = [...objects.values()].filter((o) => o.object === 'refund' && o.payment_intent === pi);
        return { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/refunds' } };
      },
    ],
    ['GET', /^\/v1\/refunds\/([^/]+)$/, (_r, m) => found(m[1] as string, 'refund')],
    ['GET', /^\/v1\/subscriptions\/([^/]+)$/, (_r, m) => found(m[1] as string, 'subscription')],
    ['GET', /^\/v1\/invoices\/([^/]+)$/, (_r, m) => found(m[1] as string, 'invoice')],
    [
      'DELETE',
      /^\/v1\/subscriptions\/([^/]+)$/,
      (_r, m) => {
        const sub = get(m[1] as string);
        if (!sub) return err(404, 'invalid_request_error', 'resource_missing');
        sub.status = 'canceled';
        return { status: 200, body: sub };
      },
    ],
  ];
  let refundStatus = 'succeeded';

  function found(id: string, object: string) {
    const o = get(id);
    return o && o.object === object
      ? { status: 200, body: o }
      : err(404, 'invalid_request_error', 'resource_missing');
  }

  async function handle(url: string, init: RequestInit, kind?: string): Promise<Response> {
    const u = new URL(url);
    const raw = typeof init.body === 'string' ? init.body : u.search.slice(1);
    const req: RecordedRequest = {
      method: init.method ?? 'GET',
      path: u.pathname,
      headers: new Headers(init.headers),
      form: new URLSearchParams(typeof init.body === 'string' ? init.body : ''),
      raw,
      kind,
    };
    requests.push(req);
    if (failNext) {
      const answer = failNext;
      failNext = null;
      return Response.json(answer.body, { status: answer.status });
    }
    const key = req.headers.get('idempotency-key');
    if (key && replay.has(key))
      return Response.json(replay.get(key)?.body, { status: replay.get(key)?.status });
    for (const [method, pattern, route] of routes) {
      const match = u.pathname.match(pattern);
      if (method === req.method && match) {
        const answer = route(req, match);
        if (key && req.method === 'POST') replay.set(key, answer);
        return Response.json(answer.body, { status: answer.status, headers: { 'request-id': `req_${seq}` } });
      }
    }
    return Response.json({ error: { type: 'invalid_request_error', code: 'unknown_path' } }, { status: 404 });
  }

  /** The buyer pays the session on the hosted page: a PaymentIntent (or subscription + invoice) appears. */
  function pay(sessionId: string, how: { capture?: 'manual'; async?: boolean } = {}) {
    const s = get(sessionId) as Obj;
    const amount = s.amount_total as number;
    if (s.mode === 'subscription') {
      const sub = put({ id: nextId('sub'), object: 'subscription', status: 'active', metadata: s.metadata });
      const invoice = put({
        id: nextId('in'),
        object: 'invoice',
        amount_paid: amount,
        amount_due: amount,
        currency: s.currency,
        billing_reason: 'subscription_create',
        attempt_count: 1,
        parent: { subscription_details: { subscription: sub.id, metadata: s.metadata } },
      });
      Object.assign(s, {
        status: 'complete',
        payment_status: 'paid',
        subscription: sub.id,
        invoice: invoice.id,
      });
      return { session: s, subscription: sub, invoice };
    }
    const status = how.capture === 'manual' ? 'requires_capture' : how.async ? 'processing' : 'succeeded';
    const pi = put({
      id: nextId('pi'),
      object: 'payment_intent',
      status,
      amount,
      amount_capturable: status === 'requires_capture' ? amount : 0,
      amount_received: status === 'succeeded' ? amount : 0,
      currency: s.currency,
      metadata: s.metadata,
    });
    Object.assign(s, {
      status: 'complete',
      payment_status: status === 'succeeded' ? 'paid' : 'unpaid',
      payment_intent: pi.id,
    });
    return { session: s, intent: pi };
  }

  return {
    objects,
    requests,
    get,
    put,
    pay,
    nextId,
    handle,
    /** Every later refund gets this status (pending for async methods). */
    setRefundStatus(status: string) {
      refundStatus = status;
    },
    /** The next request gets this answer. */
    failNext(status: number, body: unknown) {
      failNext = { status, body };
    },
    apiRequests: (path?: RegExp) => requests.filter((r) => !path || path.test(r.path)),
  };
}

export type FakeStripe = ReturnType<typeof fakeStripe>;

export const WEBHOOK_SECRET = 'whsec_test_secret_for_unit_tests';

/** Sign like Stripe, with node:crypto (independent of the code under test). */
export function stripeSignature(
  body: string,
  secret = WEBHOOK_SECRET,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

let events = 0;
/** A Stripe event envelope around an object snapshot. */
export function stripeEvent(type: string, object: unknown, extra: Record<string, unknown> = {}): string {
  events += 1;
  return JSON.stringify({
    id: `evt_test${String(events).padStart(6, '0')}`,
    object: 'event',
    api_version: '2026-11-18.endive',
    created: 1_800_000_000 + events,
    livemode: false,
    pending_webhooks: 1,
    type,
    data: { object: structuredClone(object) },
    request: { id: null, idempotency_key: null },
    ...extra,
  });
}
