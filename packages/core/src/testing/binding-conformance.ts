import type { PaymentBackend } from '../backend';
import { backendView } from '../lib/broker-data';
import { silentLogger } from '../logger';
import { memoryStore } from '../memory-store';
import { createPaybridge } from '../paybridge';
import type { Payment, PaymentStatus } from '../types';

/**
 * The backend's half of the binding check (DESIGN §6): how to make genuine broker messages for one
 * payment. "Genuine" means the backend verifies them — signed with the keys in `settings`, or
 * answered VERIFIED by the broker fake behind `fetch` — exactly as a real broker message would be.
 *
 * The check starts payments through a bridge (memory store, `testMode: true`, base URL
 * `https://shop.example/payments`) that has only this backend, then posts the requests these
 * functions build to its notification route:
 *
 * - `paid(payment)` must say the payment's OWN transaction is paid in full. The payment is what
 *   `startPayment` stored (its `externalId` is set when `prepare` returned one: PayU's orderId,
 *   CM-CIC's reference); use that transaction, or invent one when there is none yet (PayPal's
 *   txn_id is learnt from the notification).
 * - `otherFailed(payment)` must be about ANOTHER transaction at the broker — what a third party gets
 *   by building their own form, order or checkout naming this payment's reference (PayPal
 *   `invoice`, PayU `extOrderId`, CM-CIC `reference`) — saying that other transaction failed,
 *   was denied or cancelled. Use a transaction id that `paid` never used.
 *
 * The check then requires that the message about the other transaction is treated as genuine (not
 * refused as forged, malformed or unverifiable: the fixture must really sign it) and that it
 * neither fails nor expires the payment, before or after it was paid, nor moves its `externalId`,
 * nor fires `payment.declined`.
 */
export interface BindingFixture {
  /** The backend's settings for this check (default: the kit's `validSettings`). */
  settings?: Record<string, unknown>;
  /** Where the backend's outbound calls go (IPN postbacks, API calls): a broker fake or a sandbox handler. */
  fetch?: (request: Request) => Promise<Response>;
  /** A genuine notification saying the payment's own transaction is paid in full. */
  paid(payment: Payment, notifyUrl: string): Request | Promise<Request>;
  /** A genuine notification about another transaction naming the payment, saying that one failed. */
  otherFailed(payment: Payment, notifyUrl: string): Request | Promise<Request>;
}

export interface BindingCheckInput {
  backend: PaymentBackend;
  fixture: BindingFixture;
  currency: string;
  amount: number;
  /** Which scenario: the payment not paid yet, or paid (bound) before the other transaction's failure. */
  scenario: 'unpaid' | 'paid';
}

const BASE_URL = 'https://shop.example/payments';
/** Anomaly codes of a message the backend could not authenticate or read: the fixture's fault, not binding. */
const FORGED =
  /^(INVALID_SIGNATURE|VERIFICATION_FAILED|MALFORMED_NOTIFICATION|ENVIRONMENT_MISMATCH|RECEIVER_MISMATCH)\b/;
const ENDED: ReadonlySet<PaymentStatus> = new Set(['failed', 'expired']);

class BindingViolation extends Error {
  override name = 'BindingViolation';
}

/**
 * Runs one scenario of the binding check; throws a `BindingViolation` (or the fixture's own error)
 * naming what went wrong. `runBackendConformance` calls it for both scenarios when given `binding`.
 */
export async function checkBinding(input: BindingCheckInput): Promise<void> {
  const { backend, fixture } = input;
  const store = memoryStore();
  const bridge = createPaybridge({
    baseUrl: BASE_URL,
    backends: [backend],
    store,
    testMode: true,
    logger: silentLogger,
    outboxPollSeconds: 0,
    ...(fixture.fetch
      ? { fetch: ((url, init) => fixture.fetch?.(new Request(url, init))) as typeof fetch }
      : {}),
    orders: {
      resolve: (orderId) => ({
        amount: input.amount,
        currency: input.currency,
        description: `Binding check ${orderId}`,
        // Brokers that screen cards require it (CM-CIC's current scheme).
        buyer: {
          billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
        },
      }),
    },
  });
  const declined: string[] = [];
  bridge.on('payment.declined', ({ payment }) => {
    declined.push(payment.id);
  });
  const notifyUrl = `${BASE_URL}/notify/${encodeURIComponent(backend.id)}`;
  const post = async (request: Request) => {
    const response = await bridge.handler(request);
    const { items } = await store.listMessages({ direction: 'inbound', limit: 1 });
    return { response, logged: items[0] };
  };
  const read = async (id: string) => {
    const payment = await bridge.getPayment(id);
    if (!payment) throw new BindingViolation(`payment ${id} vanished`);
    // As the backend sees it (its own brokerData): the fixture builds the broker's messages from it.
    return backendView(payment, backend.id);
  };
  try {
    const { payment: started } = await bridge.startPayment({
      backend: backend.id,
      orderId: 'binding-1',
      // A customer's address, for brokers that need it (PayU).
      clientIp: '203.0.113.7',
    });
    let before = await read(started.id);
    if (input.scenario === 'paid') {
      const { logged } = await post(await fixture.paid(before, notifyUrl));
      before = await read(started.id);
      if (before.status !== 'paid') {
        throw new BindingViolation(
          `the fixture's paid() did not pay the payment (status ${before.status}; message ${logged?.verdict}: ${logged?.detail ?? logged?.outcome})`,
        );
      }
      if (before.externalId === null) {
        throw new BindingViolation(
          'a paid payment must be bound to the transaction that paid it (externalId)',
        );
      }
    }
    const { response, logged } = await post(await fixture.otherFailed(before, notifyUrl));
    if (logged?.kind !== 'notification') throw new BindingViolation('the notification was not logged');
    if (
      logged.verdict === 'retry' ||
      logged.verdict === 'unverified' ||
      (logged.detail && FORGED.test(logged.detail))
    ) {
      throw new BindingViolation(
        `the other transaction's message must be genuine, yet it was ${logged.verdict} (${logged.detail ?? logged.outcome}): the fixture must sign it`,
      );
    }
    if (response.status >= 500) {
      throw new BindingViolation(`the other transaction's message was answered ${response.status}`);
    }
    const after = await read(started.id);
    const problems: string[] = [];
    if (ENDED.has(after.status) || after.status !== before.status) {
      problems.push(`status ${before.status} → ${after.status}`);
    }
    if (after.externalId !== before.externalId) {
      problems.push(`externalId ${before.externalId} → ${after.externalId}`);
    }
    if (after.amountPaid !== before.amountPaid)
      problems.push(`amountPaid ${before.amountPaid} → ${after.amountPaid}`);
    if (declined.length) problems.push('payment.declined was fired');
    if (problems.length) {
      throw new BindingViolation(
        `a genuine failure of another transaction changed the ${input.scenario} payment: ${problems.join('; ')}`,
      );
    }
  } finally {
    bridge.close();
  }
}
