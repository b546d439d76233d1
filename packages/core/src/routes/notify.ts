import { getBackend } from '../lib/runtime';
import { handleNotification } from '../notification-pipeline';
import type { RouteContext } from './context';

/** `ANY /notify/:backend`: the broker's server-to-server message, through the one pipeline. */
export async function notifyRoute(route: RouteContext) {
  const backend = getBackend(route.runtime, route.segments[0] ?? '');
  return handleNotification({ ...route, backend });
}
