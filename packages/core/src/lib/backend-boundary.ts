import type { NotificationContext, PaymentBackend, RequestContext } from '../backend';
import type { Payment } from '../types';
import { backendView } from './broker-data';

/**
 * The backend as core calls it: every payment handed to it shows `brokerData` as its own part
 * (`brokerData[backend.id]`, a copy: the stored object is never touched), so a backend reads and
 * writes flat keys while core files them under its id. What it returns needs no change here: core
 * merges it into the payment's backend's part (`withBackendData`). Everything else is the backend's
 * own (its properties are read through, so a getter such as `secrets` stays live).
 */
export function atBackendBoundary(backend: PaymentBackend): PaymentBackend {
  const view = (payment: Payment) => backendView(payment, backend.id);
  const viewOf = (payment: Payment | null) => payment && view(payment);
  const notificationCtx = (ctx: NotificationContext): NotificationContext => ({
    ...ctx,
    getPayment: async (id) => viewOf(await ctx.getPayment(id)),
    findPaymentByExternalId: async (externalId) => viewOf(await ctx.findPaymentByExternalId(externalId)),
  });
  const requestCtx = (ctx: RequestContext): RequestContext => ({
    ...ctx,
    getPayment: async (id) => viewOf(await ctx.getPayment(id)),
  });
  // Each call looks the method up on the backend then, so a method replaced later (a test's spy) is the one called.
  const b = backend as Required<PaymentBackend>;
  const overrides: Partial<PaymentBackend> = {
    prepare: (payment, ctx) => b.prepare(view(payment), ctx),
    handleNotification: (message, ctx) => b.handleNotification(message, notificationCtx(ctx)),
    ...(backend.handleReturn && {
      handleReturn: (message, payment, ctx) => b.handleReturn(message, view(payment), ctx),
    }),
    ...(backend.fetchStatus && { fetchStatus: (payment, ctx) => b.fetchStatus(view(payment), ctx) }),
    ...(backend.canPull && { canPull: (payment) => b.canPull(view(payment)) }),
    ...(backend.capture && { capture: (payment, amount, ctx) => b.capture(view(payment), amount, ctx) }),
    ...(backend.cancel && { cancel: (payment, ctx) => b.cancel(view(payment), ctx) }),
    ...(backend.refund && { refund: (payment, request, ctx) => b.refund(view(payment), request, ctx) }),
    ...(backend.handleRequest && {
      handleRequest: (path, request, ctx) => b.handleRequest(path, request, requestCtx(ctx)),
    }),
  };
  return Object.assign(Object.create(backend) as PaymentBackend, overrides);
}
