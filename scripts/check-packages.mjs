#!/usr/bin/env node
// publint and @arethetypeswrong/cli on every publishable package (after `turbo run build`), then what
// each tarball holds: its packed size, a LICENSE, and every file its README links to (relative links
// must point inside the tarball: the README is what npm shows, far from this repository).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
const only = process.argv.slice(2);
const packages = readdirSync(`${root}packages`).filter((dir) => {
  const pkg = JSON.parse(readFileSync(`${root}packages/${dir}/package.json`, 'utf8'));
  return !pkg.private && (only.length === 0 || only.includes(dir));
});

/** Relative link targets of a README (`[text](target)`, `<img src>`): what the tarball must ship. */
function localLinks(markdown) {
  const targets = [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|src="([^"]+)"/g)].map(
    (match) => match[1] ?? match[2],
  );
  return targets
    .filter((target) => !/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(target))
    .map((target) => target.replace(/[#?].*$/, ''));
}

/** The tarball npm would publish: size and files, or the problems that make it incomplete. */
function tarball(dir) {
  const cwd = `${root}packages/${dir}`;
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd,
    encoding: 'utf8',
  });
  if (result.status !== 0) return { problems: [`npm pack failed: ${result.stderr}`] };
  const [pack] = JSON.parse(result.stdout);
  const files = new Set(pack.files.map((file) => file.path));
  const problems = [];
  if (!files.has('LICENSE')) problems.push('no LICENSE in the tarball');
  if (files.has('README.md')) {
    for (const link of localLinks(readFileSync(`${cwd}/README.md`, 'utf8'))) {
      const path = posix.normalize(link);
      if (!files.has(path)) problems.push(`README links to ${link}, which the tarball does not ship`);
    }
  }
  const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
  const summary = `${kB(pack.size)} packed, ${kB(pack.unpackedSize)} unpacked, ${pack.entryCount} files`;
  return { problems, summary };
}

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
  const { problems, summary } = tarball(dir);
  if (problems.length === 0) {
    console.log(`✓ tarball @paybridge/${dir}: ${summary}`);
  } else {
    failed++;
    console.log(`✗ tarball @paybridge/${dir}${summary ? `: ${summary}` : ''}\n  ${problems.join('\n  ')}`);
  }
}
console.log(
  failed
    ? `\n${failed} package check(s) failed`
    : `\nall ${packages.length} packages pass publint and attw, and ship a LICENSE and what their README links to`,
);
process.exit(failed ? 1 : 0);
