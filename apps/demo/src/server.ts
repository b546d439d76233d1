import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createDemo } from './app';
import { realBrokers } from './brokers';
import { clientBuilt } from './static-assets';
import { describeStore, storeFromEnv } from './store';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const publicUrl = (env.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(
  /\/+$/,
  '',
);
const sqliteFile = fileURLToPath(new URL('../data/demo.sqlite', import.meta.url));

const store = storeFromEnv(env, sqliteFile);
const migrated = (await store.migrate()) as { applied?: number[] };
const demo = createDemo({ publicUrl, store });

const server = serve({ fetch: demo.app.fetch, port, hostname: host }, () => {
  const real = realBrokers(env);
  const brokers = Object.entries(real)
    .map(([name, isReal]) => `${name}: ${isReal ? 'real sandbox' : 'local sandbox'}`)
    .join(', ');
  console.log(
    [
      '',
      `  paybridge demo shop: ${publicUrl}/`,
      `  admin:               ${publicUrl}/admin`,
      `  store:               ${describeStore(env, sqliteFile)}${migrated.applied?.length ? ` (migrations ${migrated.applied.join(', ')} applied)` : ''}`,
      `  brokers:             ${brokers}`,
      isLoopback(host) || env.DEMO_ADMIN_PASSWORD
        ? ''
        : `  ! ${host} is reachable from other machines and the admin has no password: set DEMO_ADMIN_PASSWORD\n`,
      clientBuilt()
        ? ''
        : '  ! browser bundle missing: run `npm run build` in apps/demo (the Quickstart does it)\n',
    ].join('\n'),
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    demo.close();
    server.close();
    void store.close?.().finally(() => process.exit(0));
  });
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || hostname.startsWith('127.');
}
