import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@paybridge/core';
import { sqliteStore } from '@paybridge/store-sql';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createDemo } from '../../src/app';
import { listen } from '../../src/listen';
import { CLIENT_DIR, CLIENT_ENTRY, clientBuilt } from '../../src/static-assets';

const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../../../../artifacts/e2e/', import.meta.url));
/** The admin's password in these tests (the admin is never open by default). */
const ADMIN_PASSWORD = 'e2e-admin-password';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  if (process.env.CI === 'true')
    throw new Error(`e2e: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH) — required in CI`);
  console.log(`e2e: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

/** The bundle is older than a source it is built from (the demo's client or the Vue button). */
function bundleIsStale(): boolean {
  const built = statSync(join(CLIENT_DIR, CLIENT_ENTRY)).mtimeMs;
  const sources = [join(APP_DIR, 'src/client'), join(APP_DIR, '../../packages/vue-button/src')];
  return sources.some((dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).some(
      (entry) =>
        entry.isFile() &&
        /\.(ts|vue)$/.test(entry.name) &&
        !entry.name.includes('.test') &&
        statSync(join(entry.parentPath, entry.name)).mtimeMs > built,
    ),
  );
}

/** The demo on an ephemeral port with a temporary SQLite file, and a headless Chromium. */
export async function startShop() {
  if (!clientBuilt() || bundleIsStale()) {
    const vite = join(APP_DIR, 'node_modules/vite/bin/vite.js');
    const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: APP_DIR,
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('vite build of the demo client failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'paybridge-demo-e2e-'));
  const store = sqliteStore({ filename: join(dir, 'demo.sqlite') });
  let demo: ReturnType<typeof createDemo> | undefined;
  const server = listen((request, env) => (demo as ReturnType<typeof createDemo>).app.fetch(request, env), {
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  // Broker calls are delivered when a test says so, so the "waiting" state can be seen.
  demo = createDemo({
    publicUrl: url,
    store,
    env: {},
    deliveryIntervalMs: false,
    logger: silentLogger,
    admin: { password: ADMIN_PASSWORD },
  });

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });

  return {
    url,
    demo,
    browser,
    async page(): Promise<Page> {
      // The admin's password, as a browser remembers it once typed (basic auth).
      const context = await browser.newContext({
        viewport: { width: 1200, height: 900 },
        httpCredentials: { username: 'admin', password: ADMIN_PASSWORD },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async screenshot(page: Page, name: string) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      demo?.close();
      await new Promise((resolve) => server.close(resolve));
      await store.close?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Shop = Awaited<ReturnType<typeof startShop>>;

/** On the shop page: choose a broker in a product's payment button and click Pay. */
export async function buyWith(shop: Shop, page: Page, product: string, broker: string | null) {
  await page.goto(`${shop.url}/`);
  const card = page.locator(`article[data-product="${product}"]`);
  if (broker) await card.getByLabel(broker, { exact: true }).check();
  await card.getByRole('button', { name: 'Pay', exact: true }).click();
}
