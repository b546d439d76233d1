import { availableBackends } from './availability';
import type { RequestContext } from './backend';
import type { HandlerOptions, PublicPaymentStatus, StartPaymentInput } from './config';
import { isPaybridgeError, PaybridgeError, toPaybridgeError } from './errors';
import { readBody, supplyBody } from './lib/body';
import { describeError } from './lib/describe-error';
import { autoSubmitForm } from './lib/html';
import { backendContext, getBackend, type Runtime, resolveTestMode } from './lib/runtime';
import { normalizeIp, resolveBaseUrl, resolveClientIp } from './lib/trusted-proxy';
import { isCurrencyCode } from './money';
import { handleNotification } from './notification-pipeline';
import { handleReturn } from './return-route';
import { startPayment } from './start-payment';
import { type Payment, SETTLED_STATUSES } from './types';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function json(body: unknown, status = 200): Response {
  // A fresh headers object per response: some servers (node-server) write Content-Length into it.
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS } });
}

export function publicStatus(payment: Payment): PublicPaymentStatus {
  return {
    id: payment.id,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    settled: SETTLED_STATUSES.has(payment.status),
    successUrl: payment.successUrl,
    failureUrl: payment.failureUrl,
  };
}

/**
 * Every response of the handler is built on a headers object of its own: `@hono/node-server` (1.19)
 * writes `Content-Length` into a Response's headers *init object* when it sends it, so a shared one
 * carries the previous answer's length (bodies cut short, hung connections). The core's own
 * responses are built that way; a backend's page is copied onto fresh headers here.
 */
function withOwnHeaders(response: Response): Response {
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
}

/** Where the handler is mounted: everything before the first route segment we know. */
const ROUTES = /\/(methods|start|notify|return|status|backend)(\/.*)?$/;

/** Match below the configured mount path when there is one (it may itself contain a route word). */
function matchRoute(pathname: string, mountPath: string | null): RegExpExecArray | null {
  if (mountPath !== null && pathname.startsWith(`${mountPath}/`)) {
    const match = ROUTES.exec(pathname.slice(mountPath.length));
    if (match?.index === 0) {
      match.index = mountPath.length;
      return match;
    }
  }
  return ROUTES.exec(pathname);
}

/**
 * The whole HTTP API over Request → Response. Adapters only pass the request and the connection's
 * client IP; every rule (routes, limits, trusted proxies, error shapes) lives here.
 */
export function createHandler(runtime: Runtime) {
  const configuredMountPath = runtime.config.baseUrl
    ? new URL(runtime.config.baseUrl).pathname.replace(/\/+$/, '')
    : null;
  return async function handler(request: Request, options: HandlerOptions = {}): Promise<Response> {
    if (options.body) supplyBody(request, options.body);
    const url = new URL(request.url);
    const match = matchRoute(url.pathname, configuredMountPath);
    try {
      if (!match) throw new PaybridgeError('NOT_FOUND', `no route ${url.pathname}`);
      const mountPath = url.pathname.slice(0, match.index);
      const peer = options.clientIp ? normalizeIp(options.clientIp) : null;
      const peerTrusted = peer !== null && runtime.isTrustedProxy(peer);
      const clientIp = resolveClientIp(request.headers, peer, (ip) => runtime.isTrustedProxy(ip));
      const baseUrl = resolveBaseUrl(runtime.config.baseUrl, request, mountPath, peerTrusted);
      const segments = (match[2] ?? '').split('/').filter(Boolean).map(decodeSegment);
      const route = match[1] as string;

      switch (route) {
        case 'methods': {
          allow(request, ['GET']);
          const currency = url.searchParams.get('currency')?.toUpperCase();
          if (!currency) throw new PaybridgeError('BAD_REQUEST', 'currency (ISO 4217) is required');
          if (!isCurrencyCode(currency)) {
            // Echoed only when it has the shape of a code: an error never repeats arbitrary input.
            const shown = /^[A-Z]{3}$/.test(currency) ? currency : null;
            throw new PaybridgeError(
              'BAD_REQUEST',
              `currency${shown ? ` "${shown}"` : ''} is not a supported ISO 4217 code`,
              shown ? { details: { currency: shown } } : {},
            );
          }
          const amountText = url.searchParams.get('amount');
          const amount = amountText === null || amountText === '' ? undefined : Number(amountText);
          if (amount !== undefined && !(Number.isSafeInteger(amount) && amount >= 0)) {
            throw new PaybridgeError('BAD_REQUEST', 'amount must be an integer of minor units');
          }
          const recurring = ['1', 'true'].includes(url.searchParams.get('recurring') ?? '');
          return json(
            availableBackends(
              [...runtime.backends.values()],
              { currency, recurring, ...(amount === undefined ? {} : { amount }) },
              (b) => resolveTestMode(runtime, b),
            ),
          );
        }

        case 'start': {
          allow(request, ['POST']);
          const input = await readStartInput(request, runtime.maxBodyBytes);
          const wantsJson = (request.headers.get('accept') ?? '').includes('application/json');
          const result = await startPayment(runtime, { ...input, request, clientIp }, baseUrl);
          if (wantsJson) return json({ payment: publicStatus(result.payment), redirect: result.redirect });
          if (result.redirect.method === 'GET') {
            return new Response(null, {
              status: 303,
              headers: { location: result.redirect.url, 'cache-control': 'no-store' },
            });
          }
          return autoSubmitForm(result.redirect);
        }

        case 'notify': {
          allow(request, ['POST', 'GET', 'PUT']);
          const backend = getBackend(runtime, segments[0] ?? '');
          return await handleNotification(runtime, backend, request, baseUrl, clientIp);
        }

        case 'return': {
          allow(request, ['GET', 'POST']);
          const backend = getBackend(runtime, segments[0] ?? '');
          return await handleReturn(runtime, backend.id, segments[1] ?? '', request, url, baseUrl, clientIp);
        }

        case 'status': {
          allow(request, ['GET']);
          const payment = await runtime.store.getPayment(segments[0] ?? '');
          if (!payment) throw new PaybridgeError('UNKNOWN_PAYMENT', 'no such payment');
          return json(publicStatus(payment));
        }

        case 'backend': {
          const backend = getBackend(runtime, segments[0] ?? '');
          if (!backend.handleRequest)
            throw new PaybridgeError('NOT_FOUND', `${backend.displayName} serves no pages`);
          const ctx: RequestContext = {
            ...backendContext(runtime, backend, baseUrl, clientIp),
            dispatchNotification: (notification) =>
              handleNotification(runtime, backend, notification, baseUrl, clientIp),
          };
          // Backend pages get the body already read under the same limit as every other route.
          const response = await backend.handleRequest(
            `/${segments.slice(1).join('/')}`,
            await withBoundedBody(request, runtime.maxBodyBytes),
            ctx,
          );
          if (!response) throw new PaybridgeError('NOT_FOUND', `no route ${url.pathname}`);
          return withOwnHeaders(response);
        }
      }
      throw new PaybridgeError('NOT_FOUND', `no route ${url.pathname}`);
    } catch (error) {
      const failure = toPaybridgeError(error);
      const log = failure.status >= 500 ? runtime.logger.error : runtime.logger.warn;
      log(`${request.method} ${url.pathname} failed`, {
        code: failure.code,
        message: failure.message,
        // A store failure's driver error (its `cause`) goes to the log, never to the response.
        ...(isPaybridgeError(error) && error.cause === undefined ? {} : { error: describeError(error) }),
      });
      const response = failure.toResponse();
      const allowed = failure.code === 'METHOD_NOT_ALLOWED' ? failure.details?.allow : undefined;
      if (Array.isArray(allowed)) response.headers.set('allow', allowed.join(', '));
      return response;
    }
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new PaybridgeError('BAD_REQUEST', 'malformed percent-encoding in the path');
  }
}

/** The same request with its body read once, refusing more than `limit` bytes (413). */
async function withBoundedBody(request: Request, limit: number): Promise<Request> {
  if (request.method === 'GET' || request.method === 'HEAD') return request;
  const body = await readBody(request, limit);
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: body as BodyInit,
  });
}

function allow(request: Request, methods: string[]): void {
  if (!methods.includes(request.method)) {
    throw new PaybridgeError('METHOD_NOT_ALLOWED', `${request.method} not allowed here`, {
      details: { allow: methods },
    });
  }
}

async function readStartInput(
  request: Request,
  limit: number,
): Promise<Omit<StartPaymentInput, 'request' | 'clientIp'>> {
  const type = request.headers.get('content-type') ?? '';
  const text = new TextDecoder().decode(await readBody(request, limit));
  let data: Record<string, unknown>;
  if (type.includes('application/json')) {
    try {
      data = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new PaybridgeError('BAD_REQUEST', 'body is not valid JSON');
    }
  } else if (type.includes('application/x-www-form-urlencoded')) {
    data = Object.fromEntries(new URLSearchParams(text));
  } else {
    throw new PaybridgeError('UNSUPPORTED_MEDIA_TYPE', 'send JSON or a form');
  }
  if (typeof data !== 'object' || data === null)
    throw new PaybridgeError('BAD_REQUEST', 'body must be an object');
  const str = (key: string) =>
    typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : undefined;
  const backend = str('backend');
  if (!backend) throw new PaybridgeError('BAD_REQUEST', 'backend is required');
  // Amounts are never taken from the browser: only the order id or the signed button decide them.
  // A JSON number is an option's index; a string is its id (an option without id answers to its index as a string).
  const optionValue = data.option;
  const option = typeof optionValue === 'number' || typeof optionValue === 'string' ? optionValue : undefined;
  const orderId = str('orderId');
  const button = str('button');
  return {
    backend,
    ...(orderId ? { orderId } : {}),
    ...(button ? { button } : {}),
    ...(option === undefined ? {} : { option }),
  };
}
