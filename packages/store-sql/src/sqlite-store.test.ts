import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './lib/migrations';
import { makePayment, makeTransition } from './lib/testing/fixtures';
import { describeSqlStoreContract } from './lib/testing/store-contract';
import { describeSqlStoreListing } from './lib/testing/store-listing';
import { describeSqlStoreRobustness } from './lib/testing/store-robustness';
import { migrate } from './migrate';
import { sqliteStore } from './sqlite-store';

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = Math.max(...ALL_VERSIONS);

const root = await mkdtemp(join(tmpdir(), 'paybridge-store-sql-'));
afterAll(() => rm(root, { recursive: true, force: true }));

let files = 0;
const newFile = () => join(root, `nested/dir-${++files}/payments.db`);
const filenames = new WeakMap<object, string>();

const target = {
  async create() {
    const filename = newFile();
    const store = sqliteStore({ filename });
    filenames.set(store, filename);
    return store;
  },
  async sibling(store: object) {
    // A relative path to the same file: another store in this process must still share its write lock.
    return sqliteStore({ filename: relative(process.cwd(), filenames.get(store) ?? '') });
  },
};
describeSqlStoreContract('sqlite', target);
describeSqlStoreListing('sqlite', target);
describeSqlStoreRobustness('sqlite', target);

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
