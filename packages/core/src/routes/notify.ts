import { getBackend } from '../lib/runtime';
import { handleNotification } from '../notification-pipeline';
import type { RouteContext } from './context';

/** `ANY /notify/:backend`: the broker's server-to-server message, through the one pipeline. */
export async function notifyRoute({ runtime, request, segments, baseUrl, clientIp }: RouteContext) {
  const backend = getBackend(runtime, segments[0] ?? '');
  return handleNotification(runtime, backend, request, baseUrl, clientIp);
}
