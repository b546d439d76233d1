import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { built, paybridge } from './support/cli';
import { tempDir } from './support/world';

const temp = tempDir();
afterAll(() => temp.remove());

/** A config file with these backends (source) and this SQLite file, importing the built packages. */
function config(name: string, backends: string, database = join(temp.dir, 'shop.db')): string {
  writeFileSync(
    join(temp.dir, name),
    `import { createPaybridge, silentLogger } from ${JSON.stringify(built('core'))};
import { cmcic } from ${JSON.stringify(built('backend-cmcic'))};
import { paypal } from ${JSON.stringify(built('backend-paypal'))};
import { sqliteStore } from ${JSON.stringify(built('store-sql'))};

export default createPaybridge({
  baseUrl: 'https://shop.example/pay',
  store: sqliteStore({ filename: ${JSON.stringify(database)} }),
  logger: silentLogger,
  backends: [${backends}],
  orders: { resolve: () => null },
});
`,
  );
  return name;
}

type Report = {
  ok: boolean;
  checks: Array<{ status: string; subject: string; detail: string; fix?: string }>;
};

describe('paybridge doctor on other configurations', { timeout: 120_000 }, () => {
  it('fails a key of the wrong format, naming the backend, the setting and the rule', async () => {
    const file = config(
      'short-key.config.ts',
      `cmcic({ tpe: '9000001', key: 'C0FFEE0123456789', company: 'paybridgetest' })`,
    );
    const run = await paybridge(['doctor', '--config', file, '--offline'], temp.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^✗ config: invalid configuration in .*short-key\.config\.ts: .*key.*40 characters/m,
    );
    expect(run.stdout).toContain('    fix: correct the settings named above');
    expect(run.stdout).toContain('doctor: 1 problem(s)');
  });

  it('warns about each missing optional credential with the operations it would enable: exit 0', async () => {
    const file = config(
      'ipn-only.config.ts',
      `paypal({ business: 'shop@example.com', receiverId: 'ABCDEFGHIJKLM' })`,
    );
    expect((await paybridge(['migrate', '--config', file], temp.dir)).code).toBe(0);
    const run = await paybridge(['doctor', '--config', file, '--offline', '--json'], temp.dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(report.checks).toContainEqual({
      status: 'warn',
      subject: 'paypal: api',
      detail: expect.stringMatching(
        /^No PayPal API credentials .*\(would enable: pull, refund, partialRefund\)$/,
      ),
      fix: "add `api` to the paypal backend's settings",
    });
    // With the credentials, nothing is missing.
    const withApi = config(
      'with-api.config.ts',
      `paypal({ business: 'shop@example.com', receiverId: 'ABCDEFGHIJKLM',
                api: { username: 'shop_api1.example.com', password: 'pwd', signature: 'sig' } })`,
    );
    const full = JSON.parse(
      (await paybridge(['doctor', '--config', withApi, '--offline', '--json'], temp.dir)).stdout,
    ) as Report;
    expect(full.checks.filter((c) => c.subject.startsWith('paypal: '))).toEqual([]);
  });

  it('fails a store it cannot reach, with the fix', async () => {
    // The database path names a file that is no SQLite database (a wrong path, a clobbered volume).
    writeFileSync(
      join(temp.dir, 'notes.txt'),
      'these are not the payments you are looking for\n'.repeat(100),
    );
    const file = config(
      'no-store.config.ts',
      `paypal({ business: 'shop@example.com', receiverId: 'ABCDEFGHIJKLM' })`,
      join(temp.dir, 'notes.txt'),
    );
    const run = await paybridge(['doctor', '--config', file, '--offline'], temp.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ store \(sqlite\): unreachable: .+/m);
    expect(run.stdout).toContain(
      "    fix: check the store's connection settings in the config and that the database is running",
    );
  });
});
