import { createSandbox, manualClock, type Sandbox } from '@paybridge/sandbox';
import { BROKERS, CMCIC_TPE } from './brokers';
import { chaosTransport, type TransportRates } from './chaos-transport';
import type { TamperMode } from './forgery';
import { type BrowserRedirect, hostedPageRequest } from './hosted-page';
import { type Random, seededRandom } from './random';
import { brokerFollowUp, buyerActs, merchantOperation, pickScenario, type Scenario } from './scenarios';

export interface ChaosDriverOptions {
  payments: number;
  batchSize: number;
  random: Random;
  rates: TransportRates;
  /** Share of payments (PayU and PayPal) whose broker reports other money. */
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

/** Starts a payment through POST /start and opens the broker's hosted page, as a browser would. */
async function startPayment(
  options: ChaosDriverOptions,
  sandbox: Sandbox,
  index: number,
  broker: Scenario['broker'],
): Promise<{ paymentId: string; session: string }> {
  const post = () =>
    options
      .merchantFetch(
        new Request(`${options.shopUrl}/pay/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ backend: broker, orderId: `${broker}-${index}` }),
        }),
      )
      .catch(() => null);
  // A failed start (store or broker down, merchant restarting) is clicked again by the buyer: a new payment.
  let response = await post();
  for (let attempt = 2; attempt <= 5 && response?.status !== 200; attempt++) {
    await response?.text();
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    response = await post();
  }
  if (response?.status !== 200) {
    throw new Error(`chaos: /start answered ${response?.status}: ${await response?.text()}`);
  }
  const { payment, redirect } = (await response.json()) as {
    payment: { id: string };
    redirect: BrowserRedirect;
  };
  const page = await sandbox.handler(hostedPageRequest(redirect));
  const session = page.headers.get('x-sandbox-session');
  if (page.status !== 200 || !session) throw new Error(`chaos: hosted page answered ${page.status}`);
  return { paymentId: payment.id, session };
}

interface OperatedPayment {
  status: string;
  refunds: unknown[];
}

/**
 * Whether the operation already took effect (an earlier attempt reached the broker, then failed on our
 * side). A refund on record may be only our reservation (the broker never answered): the refund is
 * then retried with the same idempotency key, which the bridge answers from the record once the
 * broker took it, so only a settled refund counts here.
 */
function done(op: string, payment: OperatedPayment | undefined): boolean {
  if (!payment) return false;
  return op === 'capture' ? payment.status === 'paid' : payment.status === 'refunded';
}

/** A back-office call retried as an operator would: after a failure, sync with the broker first. */
async function operate(options: ChaosDriverOptions, sandbox: Sandbox, op: string, paymentId: string) {
  const call = async (name: string) => {
    const response = await options
      .merchantFetch(new Request(`${options.shopUrl}/ops/${name}/${paymentId}`, { method: 'POST' }))
      .catch((error: unknown) => String(error));
    if (typeof response === 'string') return { ok: false, text: response };
    const text = await response.text();
    const payment =
      response.status === 200 ? (JSON.parse(text) as { payment: OperatedPayment }).payment : undefined;
    return { ok: response.status === 200, text: `${response.status} ${text}`, payment };
  };
  let last = '';
  for (let attempt = 1; attempt <= 10; attempt++) {
    if (attempt > 1 && done(op, (await call('sync')).payment)) return attempt;
    const result = await call(op);
    if (result.ok) return attempt;
    last = result.text;
    if (process.env.CHAOS_DEBUG)
      console.error(`${op} ${paymentId} attempt ${attempt}: ${last.slice(0, 300)}`);
    // A notification the payment waits for may be in the broker's retry queue: let a few minutes pass.
    await sandbox.advance(2 * MINUTE);
  }
  throw new Error(`chaos: ${op} of ${paymentId} failed 10 times (last: ${last.slice(0, 300)})`);
}

/**
 * Drives the payments through the sandbox in batches: buyers click, the brokers' calls go through the
 * faulty network, merchants capture and refund, then the sandbox clock runs five days so that every
 * retry schedule (PayU 72 h, PayPal 4 days, CM-CIC's one retry) plays out.
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
    clock: manualClock(Date.UTC(2026, 2, 1, 9, 0, 0)),
    fetch: transport.handle,
    // Tokens outlive the five simulated days, since the merchant's clock is real (protocols/payu.md §2).
    payu: { tokenTtlSeconds: 30 * 24 * 3600 },
    // The bank's single retry comes a minute later (its delay is UNCONFIRMED, protocols/cmcic.md §4.4),
    // so a merchant restarting after a crash can still receive it.
    cmcic: { retryDelayMs: MINUTE },
  });
  options.onSandbox?.(sandbox);
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
  const batches = Math.ceil(options.payments / options.batchSize);
  for (let batch = 0; batch < batches; batch++) {
    const current: Scenario[] = [];
    for (
      let index = batch * options.batchSize;
      index < Math.min(options.payments, (batch + 1) * options.batchSize);
      index++
    ) {
      const broker = BROKERS[index % BROKERS.length] as Scenario['broker'];
      // CM-CIC has no tamper scenario, so the other two carry 3/2 of the rate: tamperRate of all payments.
      const tamper = broker !== 'cmcic' && plan.chance(options.tamperRate * 1.5);
      const kind = tamper ? 'tamper' : pickScenario(broker, plan);
      const started = await startPayment(options, sandbox, index, broker);
      const scenario: Scenario = { index, broker, kind, ...started };
      if (kind === 'tamper') {
        scenario.tamper = plan.chance(0.5) ? 'amount' : 'currency';
        if (broker === 'payu') tamperedPayments.set(scenario.paymentId, scenario.tamper);
      }
      const scheduledBefore = sandbox.queue.deliveries.length;
      await buyerActs(sandbox, scenario);
      // Plain payments are ~60% of all: this share of them makes `lostRate` of all payments.
      if (kind === 'pay' && plan.chance(Math.min(1, (options.lostRate ?? 0.1) / 0.6))) {
        const final = sandbox.queue.deliveries.slice(scheduledBefore).at(-1);
        if (final) {
          // Lost for good (a firewall, a deploy answering 500 for the whole retry window): the broker gave up.
          final.state = 'gave-up';
          lostDeliveries.add(final);
          scenario.lost = true;
        }
      }
      current.push(scenario);
    }
    // The key-rotation window: the middle batch's first notifications are signed with a new PayU key.
    transport.keyRotation.open = batch === Math.floor(batches / 2);
    await Promise.all([sandbox.flush(), options.duringFlush?.(batch, batches)]);
    transport.keyRotation.open = false;
    for (const scenario of current) {
      brokerFollowUp(sandbox, scenario);
      const op = merchantOperation(scenario);
      if (op) operationRetries += (await operate(options, sandbox, op, scenario.paymentId)) - 1;
    }
    sandbox.payu.finalizeRefunds();
    await sandbox.flush();
    scenarios.push(...current);
    log(`batch ${batch + 1}/${batches}: ${scenarios.length} payments driven`);
  }

  // Let every broker's retry schedule run out: minutes first, then hours, five days in all.
  for (let step = 0; step < 10; step++) await sandbox.advance(MINUTE);
  for (let step = 0; step < 120; step++) await sandbox.advance(HOUR);
  sandbox.payu.finalizeRefunds();
  await sandbox.flush();

  // One reconcile pass (issue 15): the merchant pulls every open payment. A pull the injected API
  // errors failed is asked again by the next pass, as a scheduled job would.
  const reconcile = { passes: 0, pulled: 0, changed: 0, failed: 0 };
  for (let pass = 1; pass <= 5; pass++) {
    const response = await options.merchantFetch(
      new Request(`${options.shopUrl}/ops/reconcile`, { method: 'POST' }),
    );
    if (response.status !== 200) throw new Error(`chaos: reconcile answered ${response.status}`);
    const result = (await response.json()) as { pulled: number; changed: number; failed: unknown[] };
    reconcile.passes = pass;
    reconcile.pulled += result.pulled;
    reconcile.changed += result.changed;
    reconcile.failed += result.failed.length;
    if (result.failed.length === 0) break;
  }

  // A lost notification is the fault injected, not a broker message the merchant failed to acknowledge.
  const unacknowledged = sandbox.queue.deliveries
    .filter((delivery) => delivery.state !== 'delivered' && !lostDeliveries.has(delivery))
    .map((delivery) => ({ broker: delivery.broker, label: delivery.label }));
  return {
    scenarios,
    sandbox,
    transport,
    operationRetries,
    unacknowledged,
    lost: lostDeliveries.size,
    reconcile,
  };
}

/** The run's own faults and the reconcile pass, for the report. */
export function runFaults(run: Awaited<ReturnType<typeof driveChaos>>): Record<string, number> {
  return {
    'lost final notifications (the broker gave up)': run.lost,
    'reconcile passes after the run': run.reconcile.passes,
    'reconcile: payments the pull changed': run.reconcile.changed,
  };
}
