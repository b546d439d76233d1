import type { ReconcileResult } from '@paybridge/core';
import { createSandbox, offsetClock, type Sandbox } from '@paybridge/sandbox';
import { BROKERS, CMCIC_TPE, FLUTTERWAVE_ACCOUNT, RAZORPAY_ACCOUNT, STRIPE_WEBHOOK_SECRET } from './brokers';
import { chaosTransport, type TransportRates } from './chaos-transport';
import type { TamperMode } from './forgery';
import {
  checkPendingRefunds,
  type MerchantLink,
  operate,
  reconcileOnce,
  setMerchantClock,
  startPayment,
} from './merchant-calls';
import { type Random, seededRandom } from './random';
import { brokerFollowUp, buyerActs, merchantOperation, pickScenario, type Scenario } from './scenarios';

export interface ChaosDriverOptions {
  payments: number;
  batchSize: number;
  random: Random;
  rates: TransportRates;
  /** Share of all payments whose broker reports other money (drawn among PayU's and PayPal's). */
  tamperRate: number;
  /** Share of all payments whose final notification is lost (default 0.1; drawn among the plain payments). */
  lostRate?: number;
  shopUrl: string;
  sandboxUrl: string;
  /** Reaches the merchant's HTTP server (the bridge under /pay, back office under /ops). */
  merchantFetch: (request: Request) => Promise<Response>;
  /** Runs while a batch's notifications are being delivered (the CLI kills the merchant here). */
  duringFlush?: (batch: number, batches: number) => Promise<void>;
  /** Called once the sandbox exists (an in-process merchant sends its broker calls to its handler). */
  onSandbox?: (sandbox: Sandbox) => void;
  log?: (line: string) => void;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TAMPERABLE = new Set<Scenario['broker']>(['payu', 'paypal']);

/** The draws that lose a payment's final notification: the deliveries the broker gives up on. */
function finalDeliveries(sandbox: Sandbox, scenario: Scenario, scheduledBefore: number) {
  const scheduled = sandbox.queue.deliveries.slice(scheduledBefore);
  // Stripe sends every event of a paid Checkout at once (session completed, intent succeeded, …), and
  // Razorpay every event of a paid link (payment authorized and captured, order paid, link paid): each
  // says the money is there, so all of them are the final word. The others end with one message.
  return scenario.broker === 'stripe' || scenario.broker === 'razorpay' ? scheduled : scheduled.slice(-1);
}

/**
 * Drives the payments through the sandbox in batches: buyers click, the brokers' calls go through the
 * faulty network, merchants capture and refund, then the shared clock runs five days so that every
 * retry schedule (PayU 72 h, PayPal 4 days, Stripe's hours, CM-CIC's one retry) plays out. The
 * sandbox's clock is this machine's plus an offset, and every move of it is told to the merchant
 * first: broker and merchant agree on the time, as in a real deployment.
 */
export async function driveChaos(options: ChaosDriverOptions) {
  const log = options.log ?? (() => undefined);
  // The plan (which broker does what to each payment) draws from its own stream, seeded from the
  // run's first number: the network's draws depend on delivery order, so sharing one stream would
  // make the plan, and the faults a run is sure to contain, differ between runs of the same seed.
  const plan = seededRandom(Math.floor(options.random.next() * 2 ** 32));
  const tamperedPayments = new Map<string, TamperMode>();
  const transport = chaosTransport({
    deliver: options.merchantFetch,
    random: options.random,
    rates: options.rates,
    tamperedPayments,
  });
  const sandbox = createSandbox({
    baseUrl: options.sandboxUrl,
    clock: offsetClock(),
    fetch: transport.handle,
    // The bank's single retry comes a minute later (its delay is UNCONFIRMED, protocols/cmcic.md §4.4),
    // so a merchant restarting after a crash can still receive it.
    cmcic: { retryDelayMs: MINUTE },
    // The endpoint the merchant registered in Stripe's Dashboard.
    stripe: { webhooks: [{ url: `${options.shopUrl}/pay/notify/stripe`, secret: STRIPE_WEBHOOK_SECRET }] },
    // The webhook the merchant created in Razorpay's Dashboard (every event) with its own secret.
    razorpay: {
      webhooks: [{ url: `${options.shopUrl}/pay/notify/razorpay`, secret: RAZORPAY_ACCOUNT.webhookSecret }],
    },
    // Flutterwave's dashboard: the webhook URL, its secret hash, retries on. Refunds answer `pending`
    // and complete later (protocols/flutterwave.md §7.2: no refund webhook is confirmed, they are polled).
    flutterwave: {
      webhookUrl: `${options.shopUrl}/pay/notify/flutterwave`,
      secretHash: FLUTTERWAVE_ACCOUNT.secretHash,
      refundStatus: 'pending',
    },
  });
  options.onSandbox?.(sandbox);
  let clockOffsetMs = 0;
  /** Moves the shared clock: the merchant's first, so that nothing reaches it from its future. */
  const advance = async (ms: number) => {
    clockOffsetMs += ms;
    await setMerchantClock(options, clockOffsetMs);
    await sandbox.advance(ms);
  };
  sandbox.cmcic.addTpe({
    tpe: CMCIC_TPE.tpe,
    key: CMCIC_TPE.key,
    societe: CMCIC_TPE.company,
    scheme: 'current',
    retourUrl: `${options.shopUrl}/pay/notify/cmcic`,
  });

  const scenarios: Scenario[] = [];
  const lostDeliveries = new Set<object>();
  let operationRetries = 0;
  let refundAnswersLost = 0;
  const batches = Math.ceil(options.payments / options.batchSize);
  for (let batch = 0; batch < batches; batch++) {
    const current: Scenario[] = [];
    for (
      let index = batch * options.batchSize;
      index < Math.min(options.payments, (batch + 1) * options.batchSize);
      index++
    ) {
      const broker = BROKERS[index % BROKERS.length] as Scenario['broker'];
      // Only PayU and PayPal have a tamper scenario (CM-CIC seals every field with the merchant's key,
      // Stripe's objects carry the money the API reports), so they carry twice the rate: tamperRate of all.
      const tamper = TAMPERABLE.has(broker) && plan.chance(options.tamperRate * 2);
      const kind = tamper ? 'tamper' : pickScenario(broker, plan);
      const started = await startPayment(options, sandbox, index, broker);
      const scenario: Scenario = { index, broker, kind, ...started };
      if (kind === 'tamper') {
        scenario.tamper = plan.chance(0.5) ? 'amount' : 'currency';
        if (broker === 'payu') tamperedPayments.set(scenario.paymentId, scenario.tamper);
      }
      // Flutterwave v3 refunds take no idempotency key: some refunds are made, then their answer is lost.
      if (broker === 'flutterwave' && kind === 'refund') scenario.refundAnswerLost = plan.chance(0.3);
      const scheduledBefore = sandbox.queue.deliveries.length;
      await buyerActs(sandbox, scenario);
      // Plain payments are ~60% of all: this share of them makes `lostRate` of all payments.
      if (kind === 'pay' && plan.chance(Math.min(1, (options.lostRate ?? 0.1) / 0.6))) {
        for (const final of finalDeliveries(sandbox, scenario, scheduledBefore)) {
          // Lost for good (a firewall, a deploy answering 500 for the whole retry window): the broker gave up.
          final.state = 'gave-up';
          lostDeliveries.add(final);
          scenario.lost = true;
        }
      }
      current.push(scenario);
    }
    // The key-rotation window: during the middle batch's first deliveries, every broker that can be
    // pulled sends notifications the merchant cannot verify (see chaos-transport.ts).
    const rotation = batch === Math.floor(batches / 2);
    transport.keyRotation.open = rotation;
    if (rotation) sandbox.paypal.faults.postback = 'INVALID';
    await Promise.all([sandbox.flush(), options.duringFlush?.(batch, batches)]);
    transport.keyRotation.open = false;
    if (rotation) delete sandbox.paypal.faults.postback;
    for (const scenario of current) {
      brokerFollowUp(sandbox, scenario);
      const op = merchantOperation(scenario);
      if (scenario.refundAnswerLost) sandbox.flutterwave.faults.loseRefundAnswers = 1;
      if (op) operationRetries += (await operate(options, advance, op, scenario.paymentId)) - 1;
      // The fault is spent once a refund call reached Flutterwave and its answer was lost.
      if (scenario.refundAnswerLost && sandbox.flutterwave.faults.loseRefundAnswers === 0)
        refundAnswersLost++;
      sandbox.flutterwave.faults.loseRefundAnswers = 0;
    }
    sandbox.payu.finalizeRefunds();
    sandbox.przelewy24.completeRefunds();
    await sandbox.flush();
    operationRetries += await settleFlutterwaveRefunds(options, sandbox, current);
    scenarios.push(...current);
    log(`batch ${batch + 1}/${batches}: ${scenarios.length} payments driven`);
  }

  // Let every broker's retry schedule run out: minutes first, then hours, five days in all.
  for (let step = 0; step < 10; step++) await advance(MINUTE);
  for (let step = 0; step < 120; step++) await advance(HOUR);
  sandbox.payu.finalizeRefunds();
  sandbox.przelewy24.completeRefunds();
  await sandbox.flush();
  operationRetries += await settleFlutterwaveRefunds(options, sandbox, scenarios);

  // One reconcile pass (issue 15), not repeated: the merchant pulls every open payment, with the
  // faults that would fail the broker's API switched off for it (merchant-app.ts).
  const reconcile: ReconcileResult = await reconcileOnce(options);

  // A lost notification is the fault injected, not a broker message the merchant failed to acknowledge.
  const unacknowledged = sandbox.queue.deliveries
    .filter((delivery) => delivery.state !== 'delivered' && !lostDeliveries.has(delivery))
    .map((delivery) => ({ broker: delivery.broker, label: delivery.label }));
  return {
    scenarios,
    sandbox,
    transport,
    operationRetries,
    refundAnswersLost,
    unacknowledged,
    lost: lostDeliveries.size,
    reconcile,
  };
}

/**
 * Flutterwave sends no refund webhook (protocols/flutterwave.md §7.2): the merchant's back office
 * checks its pending refunds (a sync each) once Flutterwave completed them. Returns the extra attempts.
 */
async function settleFlutterwaveRefunds(
  link: MerchantLink,
  sandbox: Sandbox,
  scenarios: readonly Scenario[],
): Promise<number> {
  if (sandbox.flutterwave.completeRefunds() === 0) return 0;
  let retries = 0;
  for (const scenario of scenarios) {
    if (scenario.broker === 'flutterwave' && merchantOperation(scenario) === 'refund')
      retries += (await checkPendingRefunds(link, scenario.paymentId)) - 1;
  }
  return retries;
}

/** The run's own faults, for the report. */
export function runFaults(run: Awaited<ReturnType<typeof driveChaos>>): Record<string, number> {
  const lostOf = (broker: string) => run.scenarios.filter((s) => s.lost && s.broker === broker).length;
  return {
    'lost final notifications (the broker gave up)': run.lost,
    ...Object.fromEntries(BROKERS.map((b) => [`  payments whose final word was lost (${b})`, lostOf(b)])),
    'Flutterwave refunds made whose answer was lost (retried, adopted)': run.refundAnswersLost,
  };
}
