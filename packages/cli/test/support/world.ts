import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Paybridge } from '@paybridge/core';
import { createJiti } from 'jiti';
import { built, paybridgeServing } from './cli';

/** PayU's public test POS, which the sandbox knows. */
export const POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
};

/** Hands a Node request to the bridge as a web Request (the raw body streamed) and writes its answer back. */
export function forward(bridge: Paybridge, req: IncomingMessage, res: ServerResponse): void {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers.set(name, value);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  void bridge.handler(request, { clientIp: '127.0.0.1' }).then(async (response) => {
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}

export interface ConfigOptions {
  baseUrl: string;
  sandboxUrl: string;
  database: string;
  /** PayU settings over the public test POS's (a wrong key, say). */
  payu?: Record<string, unknown>;
  autoMigrate?: boolean;
}

/** A merchant's paybridge.config.ts: PayU against the sandbox, SQLite, importing the built packages. */
export function configSource(options: ConfigOptions): string {
  return `import { createPaybridge, silentLogger } from ${JSON.stringify(built('core'))};
import { payu } from ${JSON.stringify(built('backend-payu'))};
import { sqliteStore } from ${JSON.stringify(built('store-sql'))};

const store = sqliteStore({ filename: ${JSON.stringify(options.database)}${options.autoMigrate === false ? ', autoMigrate: false' : ''} });

export default createPaybridge({
  baseUrl: ${JSON.stringify(options.baseUrl)},
  store,
  logger: silentLogger,
  backends: [
    payu(${JSON.stringify({ ...POS, currency: 'PLN', endpoint: `${options.sandboxUrl}/payu`, testMode: true, ...options.payu })}),
  ],
  orders: {
    resolve: (orderId: string) => ({
      amount: 21000,
      currency: 'PLN',
      description: \`Order \${orderId}\`,
      buyer: { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe', language: 'pl' },
      successUrl: 'https://shop.example/thanks',
      failureUrl: 'https://shop.example/sorry',
    }),
  },
});
`;
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'paybridge-cli-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeConfig(dir: string, name: string, options: ConfigOptions): string {
  const file = join(dir, name);
  writeFileSync(file, configSource(options));
  return file;
}

/**
 * The shop: a Node server in the test process serving the bridge loaded from the same config file as
 * the CLI, and the sandbox started with the real `paybridge sandbox`, its notifications allowed to the shop.
 */
export async function startWorld(options: { payu?: Record<string, unknown> } = {}) {
  const { dir, remove } = tempDir();
  let bridge: Paybridge | null = null;
  /** While true, the shop is down for notifications: answered 503 before the bridge sees them. */
  const shop = { down: false };
  const server: Server = createServer((req, res) => {
    if (!bridge || (shop.down && req.url?.includes('/notify/'))) {
      res.writeHead(503).end();
      return;
    }
    forward(bridge, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const shopOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = await paybridgeServing(
    ['sandbox', '--port', '0', '--allow-delivery', shopOrigin],
    dir,
    /listening on (http:\/\/[^\s]+)/,
  );
  const sandboxUrl = sandbox.match[1] as string;
  const config = writeConfig(dir, 'paybridge.config.ts', {
    baseUrl: `${shopOrigin}/pay`,
    sandboxUrl,
    database: join(dir, 'shop.db'),
    ...(options.payu ? { payu: options.payu } : {}),
  });
  bridge = (await createJiti(import.meta.url, { fsCache: false }).import(config, {
    default: true,
  })) as Paybridge;

  return {
    dir,
    shop,
    sandboxUrl,
    /** The shop's config written again with other PayU settings, under another name (same store, same sandbox). */
    writeConfig(name: string, payu: Record<string, unknown> = {}): string {
      return writeConfig(dir, name, {
        baseUrl: `${shopOrigin}/pay`,
        sandboxUrl,
        database: join(dir, 'shop.db'),
        payu,
      });
    },
    shopOrigin,
    get bridge() {
      return bridge as Paybridge;
    },
    /** The buyer starts a payment for `orderId` and pays it on the sandbox's PayU page (`beforePaying` runs between). */
    async pay(orderId: string, beforePaying?: () => Promise<unknown>): Promise<string> {
      const started = await (bridge as Paybridge).startPayment({
        backend: 'payu',
        orderId,
        clientIp: '203.0.113.7',
      });
      await beforePaying?.();
      const page = await fetch(started.redirect.url);
      if (page.status !== 200) throw new Error(`PayU page answered ${page.status}`);
      const paid = await fetch(started.redirect.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action=pay',
        redirect: 'manual',
      });
      if (paid.status >= 400) throw new Error(`paying answered ${paid.status}`);
      return started.payment.id;
    },
    async control(method: string, path: string, body?: unknown): Promise<unknown> {
      const response = await fetch(`${sandboxUrl}/_control${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return response.json();
    },
    async close() {
      await sandbox.stop();
      (bridge as Paybridge).close();
      await (bridge as Paybridge).store.close?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      remove();
    },
  };
}

/** Polls `check` until it returns a value (or the time is up). */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
