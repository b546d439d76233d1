import type { BackendContext, PaymentBackend } from '../backend';
import { silentLogger } from '../logger';

/**
 * The context of a backend operation called outside any bridge operation (a subscription cancel,
 * which the bridge has no operation for): the backend's own test mode and host, the global `fetch`,
 * no bridge URLs and no logging. `ctx` overrides any part of it (the caller's transport, testMode).
 */
export function standaloneContext(
  backend: Pick<PaymentBackend, 'testMode' | 'endpoint' | 'endpoints'>,
  ctx: Partial<BackendContext> = {},
): BackendContext {
  const testMode = ctx.testMode ?? backend.testMode ?? false;
  const endpoint = backend.endpoint ?? (testMode ? backend.endpoints.test : backend.endpoints.live);
  return {
    testMode,
    endpoint: endpoint.replace(/\/+$/, ''),
    baseUrl: '',
    notifyUrl: '',
    returnUrl: () => '',
    clientIp: null,
    fetch: (url, init) => fetch(url, init),
    now: () => new Date(),
    logger: silentLogger,
    ...ctx,
  };
}
