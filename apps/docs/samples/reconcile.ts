// A reconciliation pass every ten minutes, without any cron library.
import { bridge } from './first-integration';

const EVERY_MS = 10 * 60_000;

async function reconcileNow(): Promise<void> {
  try {
    const result = await bridge.reconcile({ olderThan: 15 * 60 });
    await bridge.sweepExpired();
    if (result.failed.length > 0) console.warn('reconcile: some pulls failed', result.failed);
  } catch (error) {
    console.error('reconcile pass failed', error);
  }
}

setInterval(reconcileNow, EVERY_MS).unref();
