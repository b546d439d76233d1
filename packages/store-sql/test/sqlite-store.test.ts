import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/lib/migrations';
import type { SqlPaymentStore } from '../src/lib/sql-store';
import { migrate } from '../src/migrate';
import { sqliteStore } from '../src/sqlite-store';
import { makePayment, makeTransition } from './support/fixtures';
import { plainSqliteStore } from './support/plain';
import { describeSqlStoreContract } from './support/store-contract';
import { describeSqlStoreListing } from './support/store-listing';
import { describeSqlStoreRobustness } from './support/store-robustness';

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = Math.max(...ALL_VERSIONS);

const root = await mkdtemp(join(tmpdir(), 'paybridge-store-sql-'));
afterAll(() => rm(root, { recursive: true, force: true }));

let files = 0;
const newFile = () => join(root, `nested/dir-${++files}/payments.db`);
const filenames = new WeakMap<object, string>();

/** Stores on new files, each sibling on the same file through a relative path (which must share its write lock). */
function target(open: (filename: string) => SqlPaymentStore) {
  return {
    async create() {
      const filename = newFile();
      const store = open(filename);
      filenames.set(store, filename);
      return store;
    },
    async sibling(store: object) {
      return open(relative(process.cwd(), filenames.get(store) ?? ''));
    },
  };
}
for (const [label, open] of [
  ['sqlite', (filename: string) => sqliteStore({ filename })],
  ['sqlite, plain layer', plainSqliteStore],
] as const) {
  describeSqlStoreContract(label, target(open));
  describeSqlStoreListing(label, target(open));
  describeSqlStoreRobustness(label, target(open));
}

describe('sqliteStore', () => {
  it('creates the folder, uses WAL and a busy timeout', async () => {
    const filename = join(root, 'a/b/c/pay.db');
    const store = sqliteStore({ filename, busyTimeoutMs: 1234 });
    await store.getPayment('pay_x');
    expect(existsSync(filename)).toBe(true);
    const { sql } = await import('kysely');
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
    expect(timeout.rows[0]?.timeout).toBe(1234);
    await store.close();
  });

  it('survives a restart', async () => {
    const filename = newFile();
    const store = sqliteStore({ filename });
    const payment = makePayment();
    await store.createPayment(payment, makeTransition(payment));
    await store.close();
    const reopened = sqliteStore({ filename });
    expect(await reopened.getPayment(payment.id)).toEqual(payment);
    expect(await reopened.listTransitions(payment.id)).toHaveLength(1);
    await reopened.close();
  });

  it('migrate() applies the schema once for stores created with autoMigrate: false', async () => {
    const filename = newFile();
    expect(await migrate({ filename })).toEqual({ applied: ALL_VERSIONS, version: LATEST });
    expect(await migrate({ filename })).toEqual({ applied: [], version: LATEST });
    const store = sqliteStore({ filename, autoMigrate: false });
    expect(await store.getPayment('pay_none')).toBeNull();
    await store.close();
  });

  it('two stores starting at once on a new file: one migrates, both work', async () => {
    const filename = newFile();
    const stores = [sqliteStore({ filename }), sqliteStore({ filename })];
    const reports = await Promise.all(stores.map((store) => store.migrate()));
    expect(reports.filter((report) => report.applied.length > 0)).toEqual([
      { applied: ALL_VERSIONS, version: LATEST },
    ]);
    expect(await Promise.all(stores.map((store) => store.getPayment('pay_none')))).toEqual([null, null]);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('keeps money in integer columns and JSON in text columns', async () => {
    const store = sqliteStore({ filename: newFile() });
    await store.migrate();
    const { sql } = await import('kysely');
    const columns = await sql<{ name: string; type: string }>`pragma table_info(paybridge_payments)`.execute(
      store.db,
    );
    const type = (name: string) => columns.rows.find((column) => column.name === name)?.type.toLowerCase();
    for (const name of ['amount', 'amount_authorized', 'amount_paid', 'amount_refunded', 'version']) {
      expect(type(name), name).toBe('integer');
    }
    for (const name of ['order_snapshot', 'broker_data', 'buyer']) expect(type(name), name).toBe('text');
    await store.close();
  });

  it('without migrations a store reports STORE_UNAVAILABLE, not the driver error', async () => {
    const store = sqliteStore({ filename: newFile(), autoMigrate: false });
    const error = await store.getPayment('pay_x').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'PaybridgeError', code: 'STORE_UNAVAILABLE', status: 503 });
    expect(String((error as Error).message)).not.toMatch(/no such table/);
    await store.close();
  });
});
