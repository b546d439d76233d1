import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the browser bundle (the Vue payment button and status). */
export const CLIENT_DIR = fileURLToPath(new URL('../dist/client/', import.meta.url));
export const CLIENT_ENTRY = 'assets/main.js';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json',
};

export const clientBuilt = () => existsSync(`${CLIENT_DIR}${CLIENT_ENTRY}`);

/** Serves `/assets/<file>` from the bundle; names are fixed (no hashes), so nothing is cached long. */
export async function serveAssets(path: string): Promise<Response> {
  const name = path.replace(/^\/assets\//, '');
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return new Response('Not found', { status: 404 });
  const type = TYPES[name.split('.').pop() ?? ''];
  try {
    const body = await readFile(`${CLIENT_DIR}assets/${name}`);
    return new Response(body, {
      headers: { 'content-type': type ?? 'application/octet-stream', 'cache-control': 'no-cache' },
    });
  } catch {
    return new Response('Not found (run `npm run build` in apps/demo)', { status: 404 });
  }
}
