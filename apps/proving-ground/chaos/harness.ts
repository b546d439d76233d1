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
      await buyerActs(sandbox, scenario);
      current.push(scenario);
    }
    await Promise.all([sandbox.flush(), options.duringFlush?.(batch, batches)]);
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

  const unacknowledged = sandbox.queue.deliveries
    .filter((delivery) => delivery.state !== 'delivered')
    .map((delivery) => ({ broker: delivery.broker, label: delivery.label }));
  return { scenarios, sandbox, transport, operationRetries, unacknowledged };
}
