import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SqlPaymentStore } from '../src/lib/sql-store';
import { sqliteStore } from '../src/sqlite-store';
import { BASE, BUTTON_SECRET, bridgeOn, dummyNotification, SIGNING_KEY } from './support/bridge';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';

const root = await mkdtemp(join(tmpdir(), 'paybridge-secrets-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const TABLES = [
  'paybridge_payments',
  'paybridge_transitions',
  'paybridge_processed_events',
  'paybridge_refunds',
  'paybridge_messages',
] as const;

/**
 * Sends a genuine notification, then one that echoes every secret where a careless broker or an
 * attacker could put them (query string, an Authorization header, the body), and scans every row
 * of every table for the secrets.
 */
async function sendAndScan(store: SqlPaymentStore): Promise<void> {
  const { bridge } = bridgeOn(store);
  const { payment } = await bridge.startPayment({
    backend: 'dummy',
    orderId: `secret-scan-${Math.random()}`,
  });
  expect((await bridge.handler(await dummyNotification(payment, `dmy_ok_${payment.id}`))).status).toBe(200);
  const leaky = new Request(`${BASE}/notify/dummy?key=${SIGNING_KEY}&secret=${BUTTON_SECRET}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${SIGNING_KEY}`,
      'x-dummy-signature': BUTTON_SECRET,
    },
    body: JSON.stringify({ paymentId: payment.id, signingKey: SIGNING_KEY, secret: BUTTON_SECRET }),
  });
  expect((await bridge.handler(leaky)).status).toBeGreaterThanOrEqual(400);

  let rows = 0;
  for (const table of TABLES) {
    // Through Kysely, so that PostgreSQL reads the store's own schema.
    const stored = await store.db.selectFrom(table).selectAll().execute();
    rows += stored.length;
    const dump = JSON.stringify(stored);
    expect(dump, table).not.toContain(SIGNING_KEY);
    expect(dump, table).not.toContain(BUTTON_SECRET);
  }
  // The leaky message did reach the log, with every secret replaced (so the scan above is not vacuous).
  const messages = await store.listMessages({ backend: 'dummy', limit: 2 });
  expect(messages.items).toHaveLength(2);
  const leaked = messages.items[0];
  expect(leaked?.url).toContain('key=[REDACTED]');
  expect(leaked?.headers['x-dummy-signature']).toBe('[REDACTED]');
  expect(leaked?.body).toContain('"signingKey":"[REDACTED]"');
  expect(rows).toBeGreaterThan(4);
}

describe('the stored rows never hold a configured secret', () => {
  it('sqlite: in any row, nor anywhere in the database files', async () => {
    const dir = join(root, 'db');
    const store = sqliteStore({ filename: join(dir, 'payments.db') });
    await sendAndScan(store);
    await store.close();

    // The raw database files too (main file and WAL), in case a value lives outside any live row.
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file)).toString('latin1');
      expect(bytes, file).not.toContain(SIGNING_KEY);
      expect(bytes, file).not.toContain(BUTTON_SECRET);
    }
  });
});

const schema = uniqueSchema('secrets');
describePostgres('the stored rows never hold a configured secret', () => {
  it('postgres: in any row', async () => {
    const store = openPostgres(schema);
    try {
      await sendAndScan(store);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
