import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/sqlite-store';

const root = await mkdtemp(join(tmpdir(), 'paybridge-sqlite-processes-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/** Another process takes the database's write lock, holds it for `holdMs`, then commits. */
async function lockFromAnotherProcess(filename: string, holdMs: number): Promise<ChildProcess> {
  const script = `
    const Database = require(${JSON.stringify(driver)});
    const db = new Database(${JSON.stringify(filename)});
    db.exec('begin immediate');
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec('commit');
    db.close();
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
  return child;
}

const message = {
  direction: 'inbound' as const,
  backend: 'dummy',
  kind: 'notification',
  method: 'POST',
  url: 'https://shop.example/notify/dummy',
  headers: {},
  body: '{}',
  bodyEncoding: 'utf8' as const,
};

describe('sqliteStore with another process writing to the same file', () => {
  it('waits for the other process to release the write lock (busy timeout), then writes', async () => {
    const filename = join(root, 'wait/payments.db');
    const store = sqliteStore({ filename, busyTimeoutMs: 10_000 });
    await store.migrate();
    const holder = await lockFromAnotherProcess(filename, 600);
    const started = Date.now();
    const stored = await store.appendMessage(message);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect((await store.listMessages({})).items.map((m) => m.id)).toEqual([stored.id]);
    await new Promise((resolve) => holder.once('exit', resolve));
    await store.close();
  });

  it('gives up with STORE_UNAVAILABLE when the lock is held past the busy timeout', async () => {
    const filename = join(root, 'give-up/payments.db');
    const store = sqliteStore({ filename, busyTimeoutMs: 50 });
    await store.migrate();
    const holder = await lockFromAnotherProcess(filename, 1500);
    const error = await store.appendMessage(message).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'PaybridgeError', code: 'STORE_UNAVAILABLE' });
    await new Promise((resolve) => holder.once('exit', resolve));
    expect((await store.listMessages({})).items).toEqual([]);
    await store.close();
  });
});
