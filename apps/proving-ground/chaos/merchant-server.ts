// The merchant as its own process, for `pnpm chaos`: killed with SIGKILL mid-run and restarted on the
// same SQLite file. Configured by the driver through CHAOS_* variables; prints `READY` when listening.
import { serve } from '@hono/node-server';
import { sqliteStore } from '@paybridge/store-sql';
import { faultyStore } from './faulty-store';
import { fileJournal } from './journal';
import { createMerchantApp } from './merchant-app';
import { seededRandom } from './random';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`merchant-server: ${name} is required`);
  return value;
};
const port = Number(env('CHAOS_PORT'));
const seed = Number(env('CHAOS_SEED'));
const journal = fileJournal(env('CHAOS_JOURNAL'));
const store = sqliteStore({ filename: env('CHAOS_DB') });
const { app, bridge } = createMerchantApp({
  shopUrl: `http://127.0.0.1:${port}`,
  sandboxUrl: env('CHAOS_SANDBOX_URL'),
  store: faultyStore(
    store,
    Number(process.env.CHAOS_STORE_FAILURE_RATE ?? 0.02),
    seededRandom(seed),
    journal,
  ),
  journal,
  random: seededRandom(seed + 1),
  apiErrorRate: Number(process.env.CHAOS_API_ERROR_RATE ?? 0.05),
  fetch: globalThis.fetch,
  clockOffsetMs: Number(process.env.CHAOS_CLOCK_OFFSET_MS ?? 0),
});
// Events a previous process committed but never delivered (it was killed) go out now.
await bridge.drainOutbox();
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log('READY'));
process.on('SIGTERM', () => {
  server.close(() => {
    void store.close().finally(() => process.exit(0));
  });
});
