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
      // Each broker's base URL as a backend's `endpoint` takes it, one line each.
      const bases = Object.fromEntries(
        [...sandbox.output().matchAll(/^ {2}(\w+) +(http:\/\/\S+)$/gm)].map((m) => [m[1], m[2]]),
      );
      expect(bases).toEqual({
        paypal: `${origin}/paypal`,
        payu: `${origin}/payu`,
        cmcic: `${origin}/cmcic`,
        stripe: `${origin}/stripe`,
        przelewy24: `${origin}/przelewy24`,
        razorpay: `${origin}/razorpay`,
        flutterwave: `${origin}/flutterwave/v3`,
        control: `${origin}/_control`,
      });
      // Flutterwave's API lives below /v3: its payments route asks for the secret key there, and is
      // not found one level up (where a backend's endpoint set to /flutterwave would send its calls).
      expect((await fetch(`${bases.flutterwave}/payments`, { method: 'POST' })).status).toBe(401);
      expect((await fetch(`${origin}/flutterwave/payments`, { method: 'POST' })).status).toBe(404);
      // Every broker's test credentials, the three newer ones included.
      expect(sandbox.output()).toMatch(/Przelewy24 merchantId \d+ {2}posId \d+ {2}CRC \S+ {2}API key \S+/);
      expect(sandbox.output()).toMatch(/Razorpay key id rzp_test_\S+ {2}key secret \S+/);
      expect(sandbox.output()).toMatch(/Flutterwave secret key \S+ {2}secret hash \S+/);
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
