import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const docsRoot = fileURLToPath(new URL('../..', import.meta.url));
export const distDir = `${docsRoot}dist`;

/** The built site: `pnpm build` output when present (CI builds it first), else built now. */
export function ensureBuiltSite(): string {
  if (existsSync(`${distDir}/index.html`)) return distDir;
  for (const [bin, args] of [
    ['typedoc', []],
    ['vitepress', ['build', 'site']],
  ] as const) {
    const result = spawnSync(`${docsRoot}node_modules/.bin/${bin}`, args, {
      cwd: docsRoot,
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (exit ${result.status})`);
  }
  return distDir;
}
