import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/index';
import { sqliteEngine } from '../src/lib/sqlite-engine';
import { writeWithEarlierSchema } from './support/earlier-schema';

const root = await mkdtemp(join(tmpdir(), 'paybridge-migration-status-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('migrationStatus', () => {
  it('lists every migration as pending on an empty database, without applying any', async () => {
    const store = sqliteStore({ filename: join(root, 'empty.db') });
    try {
      const before = await store.migrationStatus();
      expect(before.version).toBe(0);
      expect(before.pending.map((m) => m.version)).toEqual([1, 2, 3]);
      expect(before.pending[0]?.name).toBe('initial');
      // Reading the status is not a query that migrates first (autoMigrate is for the store's own queries).
      expect(await store.migrationStatus()).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('on a database the previous version left (version 2), lists refund-open alone, then applies it', async () => {
    const filename = join(root, 'earlier.db');
    await writeWithEarlierSchema(sqliteEngine({ filename, busyTimeoutMs: 5000 }), []);
    const store = sqliteStore({ filename, autoMigrate: false });
    try {
      expect(await store.migrationStatus()).toEqual({
        version: 2,
        pending: [{ version: 3, name: 'refund-open' }],
      });
      expect(await store.migrate()).toEqual({ applied: [3], version: 3 });
    } finally {
      await store.close();
    }
  });

  it('is current with nothing pending after migrate()', async () => {
    const store = sqliteStore({ filename: join(root, 'migrated.db') });
    try {
      const report = await store.migrate();
      expect(await store.migrationStatus()).toEqual({ version: report.version, pending: [] });
    } finally {
      await store.close();
    }
  });
});
