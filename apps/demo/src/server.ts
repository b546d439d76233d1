import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type AdminAccess, adminAccessFromEnv } from './admin-access';
import { createDemo } from './app';
import { LOCAL_PAYU_POS_IDS, realBrokers } from './brokers';
import { listen } from './listen';
import { adminPasswordIn, localKeysIn } from './local-keys';
import { clientBuilt } from './static-assets';
import { describeStore, storeFromEnv } from './store';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const publicUrl = (env.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(
  /\/+$/,
  '',
);
/** Git-ignored: the SQLite file, the local sandbox's keys and the generated admin password. */
const dataDir = env.DEMO_DATA_DIR ?? fileURLToPath(new URL('../data/', import.meta.url));
const sqliteFile = `${dataDir.replace(/\/+$/, '')}/demo.sqlite`;
mkdirSync(dataDir, { recursive: true });

const store = storeFromEnv(env, sqliteFile);
const migrated = (await store.migrate()) as { applied?: number[] };
// No password and no explicit DEMO_ADMIN_OPEN: one is generated and kept in the data folder (never printed).
const admin: AdminAccess = adminAccessFromEnv(env) ?? { password: adminPasswordIn(dataDir).password };
const demo = createDemo({ publicUrl, store, localKeys: localKeysIn(dataDir, LOCAL_PAYU_POS_IDS), admin });

const server = listen(demo.app.fetch, { port, hostname: host }, () => {
  const real = realBrokers(env);
  const brokers = Object.entries(real)
    .map(([name, isReal]) => `${name}: ${isReal ? 'real sandbox' : 'local sandbox'}`)
    .join(', ');
  const adminNote =
    'open' in admin
      ? 'no password (DEMO_ADMIN_OPEN): keep this server where only you can reach it'
      : env.DEMO_ADMIN_PASSWORD
        ? 'user admin, password from DEMO_ADMIN_PASSWORD'
        : `user admin, password in ${adminPasswordIn(dataDir).file}`;
  console.log(
    [
      '',
      `  paybridge demo shop: ${publicUrl}/`,
      `  admin:               ${publicUrl}/admin (${adminNote})`,
      `  store:               ${describeStore(env, sqliteFile)}${migrated.applied?.length ? ` (migrations ${migrated.applied.join(', ')} applied)` : ''}`,
      `  brokers:             ${brokers}`,
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
