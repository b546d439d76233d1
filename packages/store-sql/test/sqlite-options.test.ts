import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPaybridge, type Logger } from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/sqlite-store';

const root = await mkdtemp(join(tmpdir(), 'paybridge-sqlite-options-'));
afterAll(() => rm(root, { recursive: true, force: true }));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** A file that exists but is not a SQLite database: opening it fails in the driver. */
function notADatabase(name: string): string {
  const filename = join(root, name);
  mkdirSync(dirname(filename), { recursive: true });
  writeFileSync(filename, 'this is not a SQLite database, only text long enough to have a header');
  return filename;
}

function capturingLogger() {
  const lines: string[] = [];
  const record = (level: string) => (message: string, data?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...data }));
  };
  const logger: Logger = { debug() {}, info() {}, warn: record('warn'), error: record('error') };
  return { logger, lines };
}

describe('sqliteStore options and file (issue 21)', () => {
  it('issue 21: checks its options at construction, naming each problem', () => {
    const error = thrown(() =>
      sqliteStore({ file: 'payments.db', busyTimeoutMs: -1, autoMigrate: 'yes' } as never),
    );
    expect(error).toMatchObject({ name: 'PaybridgeError', code: 'INVALID_CONFIG' });
    const message = (error as Error).message;
    expect(message).toMatch(/sqliteStore: filename: must be the path of the database file/);
    expect(message).toMatch(/busyTimeoutMs: must be a number of milliseconds/);
    expect(message).toMatch(/autoMigrate: must be true or false/);
    expect(message).toMatch(/file: unknown option/);
    expect((error as { details: { problems: unknown[] } }).details.problems).toHaveLength(4);
    expect(thrown(() => sqliteStore(undefined as never))).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(thrown(() => sqliteStore({ filename: 'x.db', maxCasRetries: 1.5 }))).toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/maxCasRetries/),
    });
  });

  it('issue 21: creates the folder of its file at construction, before any query', async () => {
    const filename = join(root, 'eager/a/b/payments.db');
    const store = sqliteStore({ filename });
    expect(existsSync(dirname(filename))).toBe(true);
    await store.close();
  });

  it('issue 21: a folder that cannot be created, or a folder given as the file, fails at construction', () => {
    const file = notADatabase('plain-file');
    const under = thrown(() => sqliteStore({ filename: join(file, 'payments.db') }));
    expect(under).toMatchObject({ code: 'INVALID_CONFIG' });
    expect((under as Error).message).toMatch(/filename: cannot create the folder .*plain-file/);
    const folder = join(root, 'a-folder');
    mkdirSync(folder, { recursive: true });
    expect(thrown(() => sqliteStore({ filename: folder }))).toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/is a folder, not a database file/),
    });
  });

  it('issue 21: migrate() opens the file and reports the driver cause', async () => {
    const store = sqliteStore({ filename: notADatabase('garbage/migrate.db'), autoMigrate: false });
    const error = await store.migrate().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(String((error as Error).cause)).toMatch(/not a database/);
    await store.close();
  });

  it("issue 21: a store failure's log line includes the driver's cause, the response does not", async () => {
    const { logger, lines } = capturingLogger();
    const bridge = createPaybridge({
      baseUrl: 'https://shop.example/pay',
      store: sqliteStore({ filename: notADatabase('garbage/bridge.db') }),
      backends: [dummy()],
      logger,
      orders: { resolve: () => ({ amount: 100, currency: 'EUR', description: 'Test' }) },
    });
    const status = await bridge.handler(new Request('https://shop.example/pay/status/pay_x'));
    expect(status.status).toBe(503);
    const body = await status.text();
    expect(body).toMatch(/STORE_UNAVAILABLE/);
    expect(body).not.toMatch(/not a database/);
    const notify = await bridge.handler(
      new Request('https://shop.example/pay/notify/dummy', { method: 'POST', body: 'x=1' }),
    );
    expect(notify.status).toBeGreaterThanOrEqual(500);
    expect(await notify.text()).not.toMatch(/not a database/);
    const failures = lines.filter((line) => /STORE_UNAVAILABLE/.test(line));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const line of failures)
      expect(line).toMatch(/cause: SqliteError: file is not a database \[SQLITE_NOTADB\]/);
  });
});
