import { authenticate } from './auth';
import { deleteSubscription, updateSubscription } from './billing';
import { createSession, expire, lineItems, sessionOf, updateSession } from './checkout-sessions';
import type { ApiCall } from './context';
import { byId, createCustomer } from './customers';
import { disputeById } from './disputes';
import { dispatch } from './events';
import { apiErrorFault } from './faults';
import { type FormObject, Params, parseForm } from './form';
import {
  API_BODY_LIMIT,
  errorResponse,
  newRequestId,
  readBody,
  StripeFailure,
  stripeJson,
  tooLarge,
} from './http';
import { begin, fingerprint, finish } from './idempotency';
import { listInvoicePayments } from './invoice-payments';
import { expand, list } from './listing';
import type { StripeState } from './model';
import { cancel, capture, chargeById, paymentIntentOf } from './payments';
import { cancelRefund, createRefund, refundById } from './refunds';
import { runTimers } from './timers';
import { createEndpoint, deleteEndpoint, listEndpoints, retrieveEndpoint } from './webhook-endpoints';

type Handler = (call: ApiCall, id: string) => unknown;
interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  run: Handler;
}

const ID = '([A-Za-z0-9_]+)';
const route = (method: Route['method'], path: string, run: Handler): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(':id', ID)}$`),
  run,
});

/** The API subset of issue 16, at Stripe's own paths below /v1/. */
const ROUTES: Route[] = [
  route('POST', 'checkout/sessions', (c) => createSession(c)),
  route('GET', 'checkout/sessions', (c) =>
    list(c, 'checkout.session', '/v1/checkout/sessions', [
      'payment_intent',
      'customer',
      'subscription',
      'status',
      'client_reference_id',
    ]),
  ),
  route('GET', 'checkout/sessions/:id', (c, id) => sessionOf(c, id)),
  route('POST', 'checkout/sessions/:id', (c, id) => updateSession(c, id)),
  route('POST', 'checkout/sessions/:id/expire', (c, id) => expire(c, id)),
  route('GET', 'checkout/sessions/:id/line_items', (c, id) => ({
    object: 'list',
    data: lineItems(c, id),
    has_more: false,
    url: `/v1/checkout/sessions/${id}/line_items`,
  })),
  route('GET', 'payment_intents', (c) => list(c, 'payment_intent', '/v1/payment_intents', ['customer'])),
  route('GET', 'payment_intents/:id', (c, id) => paymentIntentOf(c, id)),
  route('POST', 'payment_intents/:id/capture', (c, id) => capture(c, id)),
  route('POST', 'payment_intents/:id/cancel', (c, id) => cancel(c, id)),
  route('GET', 'charges', (c) => list(c, 'charge', '/v1/charges', ['payment_intent', 'customer'])),
  route('GET', 'charges/:id', (c, id) => chargeById(c, id)),
  route('POST', 'refunds', (c) => createRefund(c)),
  route('GET', 'refunds', (c) => list(c, 'refund', '/v1/refunds', ['payment_intent', 'charge'])),
  route('GET', 'refunds/:id', (c, id) => refundById(c, id)),
  route('POST', 'refunds/:id/cancel', (c, id) => cancelRefund(c, id)),
  route('GET', 'disputes', (c) => list(c, 'dispute', '/v1/disputes', ['charge', 'payment_intent'])),
  route('GET', 'disputes/:id', (c, id) => disputeById(c, id)),
  route('POST', 'customers', (c) => createCustomer(c)),
  route('GET', 'customers/:id', (c, id) => byId(c, 'customer', id)),
  route('GET', 'subscriptions/:id', (c, id) => byId(c, 'subscription', id)),
  route('POST', 'subscriptions/:id', (c, id) => updateSubscription(c, id)),
  route('DELETE', 'subscriptions/:id', (c, id) => deleteSubscription(c, id)),
  route('GET', 'invoices/:id', (c, id) => byId(c, 'invoice', id)),
  route('GET', 'invoice_payments', (c) => listInvoicePayments(c)),
  route('GET', 'events', (c) => list(c, 'event', '/v1/events', ['type'])),
  route('GET', 'events/:id', (c, id) => byId(c, 'event', id)),
  route('POST', 'webhook_endpoints', (c) => createEndpoint(c)),
  route('GET', 'webhook_endpoints', (c) => listEndpoints(c)),
  route('GET', 'webhook_endpoints/:id', (c, id) => retrieveEndpoint(c, id)),
  route('DELETE', 'webhook_endpoints/:id', (c, id) => deleteEndpoint(c, id)),
];

/** Serves `/v1/<path>`: faults, auth, body limit, form decoding, idempotency, the route, Stripe's error shape. */
export async function handleApi(state: StripeState, request: Request, path: string): Promise<Response> {
  const requestId = newRequestId();
  const method = request.method.toUpperCase();
  try {
    const fault = apiErrorFault(state.faults);
    if (fault) throw fault;
    const account = authenticate(state.config, request);
    const matching = ROUTES.filter((r) => r.pattern.test(path));
    const found = matching.find((r) => r.method === method);
    if (!found) {
      if (matching.length)
        throw StripeFailure.invalid(`Unrecognized request URL (${method}: /v1/${path.slice(0, 100)}).`);
      throw new StripeFailure(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: /v1/${path.slice(0, 100)}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      });
    }
    if (method === 'POST' && /json/i.test(request.headers.get('content-type') ?? '')) {
      // v1 takes form-encoded bodies only (reference §1.3).
      throw StripeFailure.invalid(
        'Invalid request: the v1 API takes application/x-www-form-urlencoded bodies, not JSON.',
      );
    }
    const body = method === 'POST' ? await readBody(request, API_BODY_LIMIT) : '';
    if (body === null) throw tooLarge();
    const query = new URL(request.url).search.slice(1);
    const raw = method === 'POST' ? body : query;
    const form: FormObject = parseForm(raw);
    const expandPaths = new Params(form).strings('expand');
    delete form.expand;
    runTimers(state);
    const key = method === 'POST' ? request.headers.get('idempotency-key') : null;
    const call: ApiCall = {
      state,
      account,
      params: new Params(form),
      cause: { id: requestId, idempotency_key: key },
    };
    const id = decodeURIComponent(found.pattern.exec(path)?.[1] ?? '');
    if (!key)
      return stripeJson(expand(call, found.run(call, id), expandPaths), 200, { 'request-id': requestId });
    const outcome = begin(state, account, key, fingerprint(method, path, raw));
    if (outcome.kind === 'replay') {
      return new Response(outcome.body, {
        status: outcome.status,
        headers: {
          'content-type': 'application/json',
          'request-id': requestId,
          'idempotent-replayed': 'true',
          'idempotency-key': key,
        },
      });
    }
    let status = 200;
    let text: string;
    let keep = true;
    try {
      text = JSON.stringify(expand(call, found.run(call, id), expandPaths), null, 2);
    } catch (error) {
      if (!(error instanceof StripeFailure)) {
        finish(state, outcome.scope, outcome.record, 0, '', false);
        throw error;
      }
      status = error.status;
      text = JSON.stringify({ error: error.body }, null, 2);
      keep = error.replayable;
    }
    finish(state, outcome.scope, outcome.record, status, text, keep);
    return new Response(text, {
      status,
      headers: { 'content-type': 'application/json', 'request-id': requestId, 'idempotency-key': key },
    });
  } catch (error) {
    if (error instanceof StripeFailure) return errorResponse(error, requestId);
    return errorResponse(
      new StripeFailure(500, { type: 'api_error', message: 'An unknown error occurred in the sandbox.' }),
      requestId,
    );
  } finally {
    dispatch(state);
  }
}
