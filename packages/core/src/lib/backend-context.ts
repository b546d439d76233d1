import type { NotificationContext, PaymentBackend } from '../backend';
import type { Payment } from '../types';
import { currentShape } from './current-shape';
import { createOutboundFetch } from './outbound';
import { type Runtime, resolveTestMode } from './runtime';

/** The broker's endpoint for this backend: its explicit one, else its test or live default. */
export function resolveEndpoint(runtime: Runtime, backend: PaymentBackend): string {
  const endpoint =
    backend.endpoint ?? (resolveTestMode(runtime, backend) ? backend.endpoints.test : backend.endpoints.live);
  return endpoint.replace(/\/+$/, '');
}

/** What a backend sees of the bridge in one request or operation: URLs, its fetch, store lookups. */
export function backendContext(
  runtime: Runtime,
  backend: PaymentBackend,
  baseUrl: string,
  clientIp: string | null,
): NotificationContext {
  const shaped = (payment: Payment | null) => payment && currentShape(payment);
  // One literal with the lookups: spreading a BackendContext and adding them takes V8's slow path on
  // Node 20 (2–3 µs a notification).
  return {
    testMode: resolveTestMode(runtime, backend),
    endpoint: resolveEndpoint(runtime, backend),
    baseUrl,
    notifyUrl: `${baseUrl}/notify/${encodeURIComponent(backend.id)}`,
    returnUrl(paymentId, params) {
      const url = `${baseUrl}/return/${encodeURIComponent(backend.id)}/${encodeURIComponent(paymentId)}`;
      const query = params ? new URLSearchParams(params).toString() : '';
      return query ? `${url}?${query}` : url;
    },
    clientIp,
    fetch: createOutboundFetch(runtime, backend.id),
    now: runtime.now,
    logger: runtime.logger,
    getPayment: async (id) => shaped(await runtime.store.getPayment(id)),
    findPaymentByExternalId: async (externalId) =>
      shaped(await runtime.store.findPaymentByExternalId(backend.id, externalId)),
  };
}
