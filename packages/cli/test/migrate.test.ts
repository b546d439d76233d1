import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paybridge } from './support/cli';
import { tempDir, writeConfig } from './support/world';

const temp = tempDir();
afterAll(() => temp.remove());

describe('paybridge migrate', { timeout: 120_000 }, () => {
  it('--dry-run lists the pending migrations and changes nothing; then migrate applies them once', async () => {
    // A deploy that migrates separately: the store is created with autoMigrate: false.
    writeConfig(temp.dir, 'paybridge.config.ts', {
      baseUrl: 'https://shop.example/pay',
      sandboxUrl: 'http://127.0.0.1:1',
      database: join(temp.dir, 'shop.db'),
      autoMigrate: false,
    });
    for (let i = 0; i < 2; i++) {
      const dry = await paybridge(['migrate', '--dry-run'], temp.dir);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(
        /Dry run: 3 migration\(s\) would be applied to schema version 0:\n {2}1 {2}initial\n {2}2 {2}outbox-claims\n {2}3 {2}refund-open/,
      );
    }
    const real = await paybridge(['migrate'], temp.dir);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(
      /Applied 3 migration\(s\); schema version 3:\n {2}1 {2}initial\n {2}2 {2}outbox-claims\n {2}3 {2}refund-open/,
    );

    const again = await paybridge(['migrate'], temp.dir);
    expect(again.stdout).toContain('Schema is current (version 3): nothing to apply.');
    const dryAfter = await paybridge(['migrate', '--dry-run'], temp.dir);
    expect(dryAfter.stdout).toContain('Schema is current (version 3)');
  });

  it('a missing config file is one line plus the fix, exit 1', async () => {
    const run = await paybridge(['migrate', '--config', 'nowhere.config.ts'], temp.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'paybridge migrate: config file nowhere.config.ts not found\n  fix: pass --config <file> with the path to your paybridge config\n',
    );
  });
});
