import type { RequestContext } from '../backend';
import { PaybridgeError } from '../errors';
import { backendContext } from '../lib/backend-context';
import { readBody } from '../lib/body';
import { withOwnHeaders } from '../lib/responses';
import { getBackend } from '../lib/runtime';
import { handleNotification } from '../notification-pipeline';
import type { RouteContext } from './context';

/**
 * `ANY /backend/:id/*`: pages a backend serves itself (the dummy's hosted page). The backend decides
 * which methods it answers; its response may be built from something it keeps (a cached page), so
 * it is answered on headers of its own.
 */
export async function backendPageRoute(route: RouteContext): Promise<Response> {
  const { runtime, request, url, segments, baseUrl, clientIp } = route;
  const backend = getBackend(runtime, segments[0] ?? '');
  if (!backend.handleRequest) throw new PaybridgeError('NOT_FOUND', `${backend.displayName} serves no pages`);
  const ctx: RequestContext = {
    ...backendContext(runtime, backend, baseUrl, clientIp),
    dispatchNotification: (notification) => handleNotification({ ...route, backend, request: notification }),
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
