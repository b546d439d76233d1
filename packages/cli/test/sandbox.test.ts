import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { paybridge, paybridgeServing } from './support/cli';
import { tempDir } from './support/world';

const temp = tempDir();
afterAll(() => temp.remove());

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('paybridge sandbox', { timeout: 120_000 }, () => {
  it('--port: serves the simulators there, prints each broker’s base URL, stops on Ctrl-C with exit 0', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const sandbox = await paybridgeServing(
      ['sandbox', '--port', String(port)],
      temp.dir,
      /listening on (\S+)/,
    );
    try {
      expect(sandbox.match[1]).toBe(origin);
      for (const broker of ['paypal', 'payu', 'cmcic', 'stripe', 'przelewy24', 'flutterwave'])
        expect(sandbox.output()).toContain(`${origin}/${broker}`);
      const control = await fetch(`${origin}/_control/clock`);
      expect(control.status).toBe(200);
      expect(await control.json()).toMatchObject({ manual: false });
      const token = await fetch(`${origin}/payu/pl/standard/user/oauth/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=300746&client_secret=2ee86a66e5d97e3fadc400c9f19b065d',
      });
      expect(token.status).toBe(200);
      expect(await token.json()).toMatchObject({ token_type: 'bearer' });
    } finally {
      expect(await sandbox.stop()).toBe(0);
    }
  });

  it('refuses a port that is not one, with the fix, exit 2; every command has --help', async () => {
    const run = await paybridge(['sandbox', '--port', 'eighty'], temp.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'paybridge sandbox: --port eighty is not a port number\n  fix: pass a port between 0 and 65535\n',
    );
    for (const command of ['setup', 'doctor', 'migrate', 'reconcile', 'payments', 'replay', 'sandbox']) {
      const help = await paybridge([command, '--help'], temp.dir);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: paybridge ${command}`));
      expect(help.stdout).toContain('--config <file>');
    }
    const flag = await paybridge(['setup', '--bogus'], temp.dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      "paybridge setup: Unknown option '--bogus'\n  fix: see `paybridge setup --help`\n",
    );
    const unknown = await paybridge(['deploy'], temp.dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('paybridge: unknown command deploy');
  });
});
