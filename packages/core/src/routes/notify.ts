import { getBackend } from '../lib/runtime';
import { handleNotification } from '../notification-pipeline';
import type { RouteContext } from './context';

/** `ANY /notify/:backend`: the broker's server-to-server message, through the one pipeline. */
export async function notifyRoute(route: RouteContext) {
  const backend = getBackend(route.runtime, route.segments[0] ?? '');
  // The fields the pipeline reads, as one literal: a spread of the route context plus a key it lacks
  // takes V8's slow path on Node 20 (about 1 µs a notification, for nothing).
  const { runtime, request, baseUrl, clientIp } = route;
  return handleNotification({ runtime, backend, request, baseUrl, clientIp });
}
