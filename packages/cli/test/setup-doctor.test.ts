import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paybridge } from './support/cli';
import { POS, startWorld, writeConfig } from './support/world';

let world: Awaited<ReturnType<typeof startWorld>>;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(() => world?.close());

describe('paybridge setup', { timeout: 120_000 }, () => {
  it('prints, per backend, the URLs to paste and the settings to tick', async () => {
    const run = await paybridge(['setup', '--base-url', 'https://shop.example/pay'], world.dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Set-up for the bridge at https://shop.example/pay');
    expect(run.stdout).toContain('PayU (payu)');
    expect(run.stdout).toContain('https://shop.example/pay/notify/payu');
    expect(run.stdout).not.toContain(POS.clientSecret);
    expect(run.stdout).not.toContain(POS.secondKey);
  });

  it('--json: the same as data, from the config’s baseUrl', async () => {
    const run = await paybridge(['setup', '--json'], world.dir);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as {
      baseUrl: string;
      backends: Array<{ backend: string; urls: Array<{ url: string }>; steps: string[] }>;
    };
    expect(printed.baseUrl).toBe(`${world.shopOrigin}/pay`);
    expect(printed.backends.map((b) => b.backend)).toEqual(['payu']);
    expect(printed.backends[0]?.urls.map((u) => u.url)).toContain(`${world.shopOrigin}/pay/notify/payu`);
    expect(printed.backends[0]?.steps.length).toBeGreaterThan(0);
  });

  it('refuses a base URL that is not http(s), with the fix, exit 2', async () => {
    const run = await paybridge(['setup', '--base-url', 'ftp://shop.example'], world.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^paybridge setup: --base-url ftp:\/\/shop\.example is not an http\(s\) URL\n {2}fix: /,
    );
  });
});

describe('paybridge doctor', { timeout: 120_000 }, () => {
  it('passes a working configuration, online included: exit 0', async () => {
    const run = await paybridge(['doctor'], world.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ payu: PayU: settings valid, test mode');
    expect(run.stdout).toContain('✓ store (sqlite): reachable, migrated');
    expect(run.stdout).toContain(`✓ payu: endpoint: ${world.sandboxUrl}/payu reachable`);
    // The shop runs on this machine over http: a warning with the sandbox, not a failure.
    expect(run.stdout).toMatch(/! baseUrl: .* plain http on this machine/);
    expect(run.stdout).toContain('doctor: no problems');
  });

  it('fails a plain-http public base URL and an unreachable broker: exit 1, each with its fix', async () => {
    writeConfig(world.dir, 'http.config.ts', {
      baseUrl: 'http://shop.example/pay',
      sandboxUrl: 'http://127.0.0.1:1',
      database: join(world.dir, 'shop.db'),
    });
    const run = await paybridge(['doctor', '--config', 'http.config.ts', '--timeout', '3000'], world.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ baseUrl: http://shop.example/pay is plain http');
    expect(run.stdout).toContain('fix: serve the bridge over https');
    expect(run.stdout).toMatch(/✗ payu: endpoint: http:\/\/127\.0\.0\.1:1\/payu unreachable/);
    expect(run.stdout).toContain('doctor: 2 problem(s)');
  });

  it('fails a bad key as the backend’s settings define it: exit 1, the setting named', async () => {
    writeConfig(world.dir, 'bad-key.config.ts', {
      baseUrl: 'https://shop.example/pay',
      sandboxUrl: world.sandboxUrl,
      database: join(world.dir, 'shop.db'),
      payu: { secondKey: '  ' },
    });
    const run = await paybridge(['doctor', '--config', 'bad-key.config.ts', '--json'], world.dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      checks: Array<{ status: string; subject: string; detail: string }>;
    };
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ status: 'fail', subject: 'config' });
    expect(report.checks[0]?.detail).toMatch(
      /invalid configuration in .*bad-key\.config\.ts: .*PayU: secondKey: is required/,
    );
  });

  it('fails a store with migrations pending', async () => {
    writeConfig(world.dir, 'fresh.config.ts', {
      baseUrl: 'https://shop.example/pay',
      sandboxUrl: world.sandboxUrl,
      database: join(world.dir, 'fresh.db'),
      autoMigrate: false,
    });
    const run = await paybridge(['doctor', '--config', 'fresh.config.ts', '--offline'], world.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '✗ store (sqlite): reachable, schema version 0, 3 migration(s) pending: 1 initial, 2 outbox-claims, 3 refund-open',
    );
    expect(run.stdout).toContain('fix: run `paybridge migrate`');
  });
});
