import { memoryStore } from '@paybridge/core';
import type { Sandbox } from '@paybridge/sandbox';
import { type ChaosReport, checkChaos } from './checks';
import { faultyStore } from './faulty-store';
import { driveChaos, runFaults } from './harness';
import { memoryJournal } from './journal';
import { createMerchantApp } from './merchant-app';
import { seededRandom } from './random';

export const ISSUE_RATES = { duplicate: 0.3, reorder: 0.2, forge: 0.05 };

/**
 * The chaos run with the merchant in this process (the fast variant for the test suite): the same
 * Hono app, transport and checks as the CLI, without the SIGKILLs.
 */
export async function runChaosInProcess(options: {
  payments: number;
  seed: number;
}): Promise<{ report: ChaosReport; inputs: Parameters<typeof checkChaos>[0] }> {
  const random = seededRandom(options.seed);
  const journal = memoryJournal();
  const store = memoryStore();
  const sandboxHolder: { sandbox?: Sandbox } = {};
  const shopUrl = 'http://127.0.0.1:4100';
  const { app } = createMerchantApp({
    shopUrl,
    sandboxUrl: 'http://127.0.0.1:4200',
    store: faultyStore(store, 0.02, seededRandom(options.seed + 1), journal),
    journal,
    random: seededRandom(options.seed + 2),
    apiErrorRate: 0.05,
    fetch: (input, init) => sandboxHolder.sandbox!.handler(new Request(input, init)),
  });
  const peer = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
  const run = await driveChaos({
    payments: options.payments,
    batchSize: 30,
    random,
    rates: ISSUE_RATES,
    tamperRate: 0.03,
    shopUrl,
    sandboxUrl: 'http://127.0.0.1:4200',
    merchantFetch: async (request) => app.fetch(request, peer),
    onSandbox: (sandbox) => {
      sandboxHolder.sandbox = sandbox;
    },
  });
  const inputs = {
    store,
    scenarios: run.scenarios,
    records: run.transport.records,
    journal: journal.read(),
    transportCounts: run.transport.counts,
    unacknowledged: run.unacknowledged,
    reconcile: run.reconcile,
    extraFaults: runFaults(run),
  };
  return { report: await checkChaos(inputs), inputs };
}
