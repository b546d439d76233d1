import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltSite } from './support/build';
import { hasAnchor, internalLinks } from './support/links';
import { type StaticServer, serveStatic } from './support/static-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: StaticServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await serveStatic(ensureBuiltSite());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the built documentation site in Chromium', { timeout: 120_000 }, () => {
  it('shows the home page with its way in', async () => {
    await page.goto(`${server.url}/`);
    await expect(page.title()).resolves.toContain('paybridge');
    await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('paybridge');
    await page.getByRole('link', { name: 'Quickstart' }).first().click();
    await page.waitForURL(/\/guide\/quickstart/);
  });

  it('shows a guide with its code samples included from the compiled files', async () => {
    await page.goto(`${server.url}/guide/quickstart.html`);
    await expect(page.locator('.vp-doc h1').textContent()).resolves.toMatch(/^Quickstart\b/);
    const code = await page.locator('.vp-doc div[class*="language-ts"] pre').allInnerTexts();
    // samples/quickstart.ts and samples/first-integration.ts, imported with <<<, highlighted.
    expect(code.some((text) => text.includes('createPaybridge({') && text.includes('dummy()'))).toBe(true);
    expect(code.some((text) => text.includes('sqliteStore(') && text.includes('payu({'))).toBe(true);
  });

  it('shows the API reference generated from the sources', async () => {
    await page.goto(`${server.url}/api/`);
    await page.locator('.vp-doc a', { hasText: '@paybridge/core' }).first().click();
    await page.waitForURL(/\/api\/.*core/);
    await page.locator('.vp-doc h1', { hasText: '@paybridge/core' }).waitFor();
    // Core's documented entries (the root, kit, testing, dummy, status-machine), each a module of the
    // package's page (`/schema` re-exports zod/mini's builders: zod documents them).
    await expect(page.locator('.vp-doc a').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining(['core', 'kit', 'testing', 'dummy', 'status-machine']),
    );
    await page.locator('.vp-doc a').getByText('core', { exact: true }).click();
    await page.waitForURL(/\/api\/.*core\/core\//);
    await page.locator('.vp-doc h1', { hasText: /^core\W*$/ }).waitFor(); // "core" and its header anchor
    await page.locator('.vp-doc a', { hasText: 'createPaybridge' }).first().click();
    await page.waitForURL(/\/functions\/createPaybridge/);
    // The router changes the URL before it renders the page: wait for the page itself.
    await page.locator('.vp-doc h1', { hasText: 'createPaybridge' }).waitFor();
    await expect(page.locator('.vp-doc').textContent()).resolves.toContain('PaybridgeConfig');
  });

  it('finds a term with the local search box', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('#local-search button').click();
    const input = page.locator('.VPLocalSearchBox input');
    await input.fill('reconciliation');
    const results = page.locator('.VPLocalSearchBox .results .result');
    await results.first().waitFor();
    await expect(results.allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([expect.stringMatching(/Reconciliation/)]),
    );
  });

  it('has no broken internal link on any page', async () => {
    const origin = server.url;
    const pages = new Map<string, string | null>(); // path → html (null: not found)
    const queue = ['/'];
    const broken: string[] = [];
    const load = async (path: string): Promise<string | null> => {
      if (!pages.has(path)) {
        const response = await fetch(`${origin}${path}`);
        const html = response.ok ? await response.text() : null;
        pages.set(path, response.headers.get('content-type')?.startsWith('text/html') ? html : '');
        if (html !== null && response.headers.get('content-type')?.startsWith('text/html')) queue.push(path);
      }
      return pages.get(path) ?? null;
    };
    await load('/');
    const seen = new Set<string>();
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const html = pages.get(path)!;
      for (const link of internalLinks(html, `${origin}${path}`, origin)) {
        const target = await load(link.pathname);
        if (target === null) broken.push(`${path} → ${link.pathname} (404)`);
        else if (target !== '' && !hasAnchor(target, link.hash.slice(1)))
          broken.push(`${path} → ${link.pathname}${link.hash}`);
      }
    }
    expect(broken).toEqual([]);
    expect(seen.size).toBeGreaterThan(30); // the guides, brokers, frameworks and the API pages were reached
  });
});

describe('the pages source', () => {
  it('has no inline TypeScript block, and every included file exists (samples/ compiled, examples/ run in CI)', async () => {
    const pagesDir = fileURLToPath(new URL('../site/', import.meta.url));
    const files = (await readdir(pagesDir, { recursive: true })).filter(
      (file) => file.endsWith('.md') && !file.startsWith('api'),
    );
    const problems: string[] = [];
    let included = 0;
    for (const file of files) {
      const text = await readFile(join(pagesDir, file), 'utf8');
      if (/^\s*(```|~~~)\s*(ts|typescript|tsx|js|javascript|mjs|vue)\b/im.test(text))
        problems.push(`${file}: inline code`);
      // Every include, the examples' files as well as the samples: VitePress renders a missing file
      // as a notice on the page instead of failing the build. `@` is the pages' folder.
      for (const [, path] of text.matchAll(/^<<< @\/(\S+?)(?:[#{]\S*)?\s*$/gm)) {
        if (path!.startsWith('../samples/')) included += 1;
        if (!existsSync(join(pagesDir, path!))) problems.push(`${file}: ${path} missing`);
      }
    }
    expect(problems).toEqual([]);
    expect(included).toBeGreaterThan(10);
  });
});
