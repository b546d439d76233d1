import type { PaymentBackend } from '../../src/backend';
import type { Payment, PaymentFact } from '../../src/types';

/**
 * A backend that keeps bookkeeping of its own: `prepare` returns `data`, a pull reports `pulled` as a
 * broker_data fact, capture returns `captured` beside its facts; a notification (JSON
 * `{ paymentId, data, authorize? }`) reads the payment through its context and reports `data` about
 * it (and the whole amount authorised).
 * `seen` records every payment core handed it, as it saw it.
 */
export function bookkeepingBackend(id: string, data: Record<string, unknown>) {
  const seen: Array<{ call: string; payment: Payment }> = [];
  const look = (call: string, payment: Payment) => {
    seen.push({ call, payment: structuredClone(payment) });
    return payment;
  };
  const backend = {
    id,
    displayName: id,
    currencies: null,
    capabilities: {
      capture: true,
      cancel: false,
      refund: false,
      partialRefund: false,
      recurring: false,
      pull: true,
    },
    endpoints: { live: 'https://broker.invalid', test: 'https://broker.invalid' },
    secrets: [],
    prepareOffline: true,
    async prepare(payment) {
      look('prepare', payment);
      return {
        redirect: { method: 'GET', url: `https://broker.invalid/pay/${payment.id}` },
        externalId: `${id}-${payment.id}`,
        brokerData: data,
      };
    },
    async handleNotification(message, ctx) {
      const body = JSON.parse(new TextDecoder().decode(message.body)) as {
        paymentId: string;
        data: Record<string, unknown>;
        authorize?: boolean;
      };
      const payment = await ctx.getPayment(body.paymentId);
      if (payment) look('notification', payment);
      const facts: PaymentFact[] = [
        { type: 'broker_data', eventId: `n:${id}:${JSON.stringify(body)}`, data: body.data },
      ];
      if (body.authorize && payment) {
        facts.push({
          type: 'authorized',
          eventId: `auth:${payment.id}`,
          amount: payment.amount,
          currency: payment.currency,
        });
      }
      return { verdict: 'verified', updates: [{ paymentId: body.paymentId, facts }], ack: { status: 200 } };
    },
    async fetchStatus(payment) {
      look('fetchStatus', payment);
      return [
        { type: 'broker_data', eventId: `pull:${id}:${payment.version}`, data: { pulled: payment.version } },
      ];
    },
    async capture(payment, amount) {
      look('capture', payment);
      return {
        facts: [
          {
            type: 'captured',
            eventId: `cap:${payment.id}`,
            captureId: payment.id,
            amount,
            currency: payment.currency,
          },
        ],
        brokerData: { captured: amount },
      };
    },
    setupInstructions: () => ({ backend: id, displayName: id, urls: [], steps: [], warnings: [] }),
  } satisfies PaymentBackend;
  return { backend, seen };
}
