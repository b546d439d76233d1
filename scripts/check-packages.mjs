#!/usr/bin/env node
// publint and @arethetypeswrong/cli on every publishable package (after `turbo run build`).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
const only = process.argv.slice(2);
const packages = readdirSync(`${root}packages`).filter((dir) => {
  const pkg = JSON.parse(readFileSync(`${root}packages/${dir}/package.json`, 'utf8'));
  return !pkg.private && (only.length === 0 || only.includes(dir));
});

let failed = 0;
for (const dir of packages) {
  const cwd = `${root}packages/${dir}`;
  for (const [label, command, args] of [
    ['publint', bin('publint'), ['--strict', '--pack', 'npm']],
    // node10 resolution cannot see subpath exports; every supported runtime (Node ≥ 20, bundlers) can.
    ['attw', bin('attw'), ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`.replace(/^npm warn.*\n/gm, '');
    if (result.status === 0) {
      console.log(`✓ ${label} @paybridge/${dir}`);
    } else {
      failed++;
      console.log(`✗ ${label} @paybridge/${dir}\n${output}`);
    }
  }
}
console.log(
  failed ? `\n${failed} package check(s) failed` : `\nall ${packages.length} packages pass publint and attw`,
);
process.exit(failed ? 1 : 0);
