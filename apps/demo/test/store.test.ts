import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlPaymentStore } from '@paybridge/store-sql';
import { describe, expect, it } from 'vitest';
import { describeStore, storeFromEnv } from '../src/store';
import { setupDemo } from './support/demo';

describe('demo store from the environment', () => {
  it('is a SQLite file (its folder created) when DATABASE_URL is unset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paybridge-demo-store-'));
    const file = join(dir, 'data', 'demo.sqlite');
    try {
      const store = storeFromEnv({}, file);
      await store.migrate();
      const t = setupDemo(store);
      const { paymentId } = await t.startButton('mug', 'paypal');
      await store.close?.();
      expect(existsSync(file)).toBe(true);
      const reopened = storeFromEnv({}, file);
      expect(await reopened.getPayment(paymentId)).toMatchObject({ amount: 1299, currency: 'EUR' });
      await reopened.close?.();
      expect(describeStore({}, file)).toBe(`SQLite ${file}`);
      expect(describeStore({ DEMO_SQLITE_FILE: '/x/y.sqlite' }, file)).toBe('SQLite /x/y.sqlite');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never prints the PostgreSQL password', () => {
    const env = { DATABASE_URL: 'postgres://shop:s3cr3t-pw@db.internal:6543/payments' };
    expect(describeStore(env, 'unused')).toBe('PostgreSQL db.internal:6543/payments');
    expect(describeStore({ DATABASE_URL: 'not a url s3cr3t' }, 'unused')).toBe('PostgreSQL');
  });

  it.runIf(Boolean(process.env.DATABASE_URL))('is PostgreSQL when DATABASE_URL is set', async () => {
    const schema = `demo_env_${Date.now().toString(36)}`;
    const store = storeFromEnv(
      { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema },
      '/nonexistent/never-created.sqlite',
    ) as unknown as SqlPaymentStore;
    try {
      await store.migrate();
      const t = setupDemo(store);
      const { paymentId } = await t.startButton('tshirt', 'payu');
      expect(await store.getPayment(paymentId)).toMatchObject({ amount: 7900, currency: 'PLN' });
      expect(existsSync('/nonexistent/never-created.sqlite')).toBe(false);
    } finally {
      await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await store.close?.();
    }
  });
});
