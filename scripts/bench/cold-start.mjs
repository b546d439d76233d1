#!/usr/bin/env node
// Cold start and size (issue 18), as ratios measured in one run:
//   1. cold import of @paybridge/core + one backend (built dist) against hono's, median of N fresh
//      Node processes each, interleaved so that machine noise hits them alike: wall-clock time and
//      CPU time (process.cpuUsage() around the import: far less disturbed by other processes on a
//      loaded machine), next to zod's package entry (what core and the backends imported before they
//      validated through @paybridge/core/schema);
//   2. the example Cloudflare worker bundled as `wrangler deploy` ships it (esbuild, minified),
//      gzipped, next to a bare Hono worker bundled the same way;
//   3. @paybridge/core min+gzip with zod external, per entry of its exports map: what importing the
//      entry evaluates (its chunk and those it imports statically; the issue's ≤ 15 kB goal), and in
//      all (with the routes and operations it loads on first use, through dynamic `import()`).
//
//   node scripts/bench/cold-start.mjs [--runs 9] [--backend cmcic] [--size-only]
//
// --size-only prints (3) alone: the figure a change to core's entries moves. Needs the packages built
// (`pnpm build`; `pnpm bench` builds first). Prints a table and writes
// bench-results/cold-start-<time>.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const worker = join(root, 'examples/cloudflare-worker');
// esbuild as the worker example pins it (the root has no copy of its own).
const { build } = createRequire(join(worker, 'package.json'))('esbuild');
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    runs: { type: 'string', default: '9' },
    backend: { type: 'string', default: 'cmcic' },
    'size-only': { type: 'boolean', default: false },
  },
});

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const kB = (bytes) => round(bytes / 1000, 1);

const esbuildDefaults = { bundle: true, minify: true, format: 'esm', logLevel: 'silent' };
const sizeOf = (bytes) => ({ min: bytes.length, minGzip: gzipSync(bytes, { level: 9 }).length });

/** min and min+gzip (level 9) of one esbuild bundle (dynamic imports inlined: everything it can load). */
async function bundleSize(options) {
  const result = await build({ ...esbuildDefaults, write: false, ...options });
  return sizeOf(result.outputFiles[0].contents);
}

/**
 * min and min+gzip of what importing `entry` evaluates: bundled with code splitting, its output and
 * every chunk reached through static `import` statements, concatenated and gzipped once. What a
 * dynamic `import()` loads on first use is left out.
 */
async function atImportSize(entry, options) {
  const outdir = join(tmpdir(), 'paybridge-cold-start');
  const result = await build({
    ...esbuildDefaults,
    ...options,
    entryPoints: [entry],
    splitting: true,
    outdir,
    metafile: true,
    write: false,
  });
  const outputs = result.metafile.outputs;
  const contents = new Map(
    result.outputFiles.map((file) => [relative(process.cwd(), file.path), file.contents]),
  );
  const start = Object.keys(outputs).find((name) => outputs[name].entryPoint);
  const loaded = new Set();
  const visit = (name) => {
    if (loaded.has(name)) return;
    loaded.add(name);
    for (const edge of outputs[name].imports) {
      if (edge.kind === 'import-statement' && !edge.external) visit(edge.path);
    }
  };
  visit(start);
  return sizeOf(Buffer.concat([...loaded].map((name) => contents.get(name))));
}

/**
 * Every JS entry of core's exports map (`.`, `./kit`, `./dummy`, `./testing`, `./schema`), with zod
 * (and the `./schema` entry that bundles its builders) and core's peer dependencies (vitest, for the
 * testing kits) left external: what importing it evaluates (`atImport`), and everything it can load,
 * what routes and operations load on first use included (`inAll`).
 */
async function coreSizes() {
  const core = join(root, 'packages/core');
  const { exports, peerDependencies = {} } = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8'));
  const external = ['zod', ...Object.keys(peerDependencies)].flatMap((name) => [name, `${name}/*`]);
  // `@paybridge/core/schema` is zod/mini's builders, bundled: zod, left out of the other entries
  // like zod itself, and measured as an entry of its own.
  external.push('@paybridge/core/schema');
  const sizes = {};
  for (const [subpath, target] of Object.entries(exports)) {
    const file = target?.import?.default ?? (typeof target?.import === 'string' ? target.import : undefined);
    if (!file?.endsWith('.js')) continue;
    const entry = join(core, file);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: build the packages first (pnpm build)`);
    const options = { platform: 'neutral', external };
    sizes[subpath] = {
      atImport: await atImportSize(entry, options),
      inAll: await bundleSize({ entryPoints: [entry], ...options }),
    };
  }
  return sizes;
}

/**
 * One fresh Node process importing `specifiers` in order: wall-clock and CPU (user + system)
 * milliseconds from before to after.
 */
function importOnce({ specifiers, cwd }) {
  const imports = specifiers.map((s) => `await import(${JSON.stringify(s)});`).join(' ');
  const code = `const c = process.cpuUsage(); const t = performance.now(); ${imports} const wallMs = performance.now() - t; const { user, system } = process.cpuUsage(c); console.log(JSON.stringify({ wallMs, cpuMs: (user + system) / 1000 }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`import of ${specifiers} from ${cwd} failed (${code})`)),
    );
  });
}

/** Per import: median wall-clock and CPU milliseconds over `runs` fresh processes, and the samples. */
async function coldImports(runs, backend) {
  // Bare specifiers resolve from `cwd`: a backend's folder has core in its node_modules and resolves
  // its own name (any backend, not only those the worker example depends on); hono is the worker's.
  const imports = {
    paybridge: {
      specifiers: ['@paybridge/core', `@paybridge/backend-${backend}`],
      cwd: join(root, 'packages', `backend-${backend}`),
    },
    hono: { specifiers: ['hono'], cwd: worker },
    zod: { specifiers: ['zod'], cwd: join(root, 'packages/core') },
  };
  const samples = Object.fromEntries(Object.keys(imports).map((name) => [name, []]));
  // The first process of each pays for a cold disk cache; not counted.
  for (const run of Object.values(imports)) await importOnce(run);
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of Object.entries(imports)) samples[name].push(await importOnce(run));
  }
  const medians = (name, key) => round(median(samples[name].map((sample) => sample[key])));
  const result = { samples };
  for (const name of Object.keys(imports)) {
    result[`${name}Ms`] = medians(name, 'wallMs');
    result[`${name}CpuMs`] = medians(name, 'cpuMs');
  }
  return result;
}

/** The example worker exactly as its workerd test bundles it (test/bundle.ts, run through tsx). */
function exampleWorkerBundle() {
  const script = `import { bundleWorker } from './test/bundle.ts'; process.stdout.write(await bundleWorker());`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: worker,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'buffer',
  });
  if (result.status !== 0) throw new Error(`bundling the example worker failed:\n${result.stderr}`);
  return { min: result.stdout.length, minGzip: gzipSync(result.stdout, { level: 9 }).length };
}

function bareHonoWorker() {
  return bundleSize({
    stdin: {
      contents: `import { Hono } from 'hono';
        const app = new Hono();
        app.get('/', (c) => c.text('hello'));
        export default app;`,
      resolveDir: worker,
      loader: 'js',
    },
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
  });
}

const results = { date: new Date().toISOString(), node: process.version, core: await coreSizes() };
const rows = Object.entries(results.core).flatMap(([subpath, { atImport, inAll }]) => [
  [
    subpath === './schema'
      ? '@paybridge/core/schema (zod/mini builders, bundled): at import'
      : `@paybridge/core${subpath.slice(1)} (zod, peers external): at import`,
    `${kB(atImport.min)} kB min`,
    `${kB(atImport.minGzip)} kB min+gzip`,
  ],
  ['  in all (with what loads on first use)', `${kB(inAll.min)} kB min`, `${kB(inAll.minGzip)} kB min+gzip`],
]);

if (!values['size-only']) {
  const runs = Number(values.runs);
  results.coldImport = { runs, backend: values.backend, ...(await coldImports(runs, values.backend)) };
  const c = results.coldImport;
  c.ratio = round(c.paybridgeMs / c.honoMs, 2);
  c.cpuRatio = round(c.paybridgeCpuMs / c.honoCpuMs, 2);
  c.zodRatio = round(c.zodMs / c.honoMs, 2);
  c.zodCpuRatio = round(c.zodCpuMs / c.honoCpuMs, 2);
  results.workerBundle = { example: exampleWorkerBundle(), bareHono: await bareHonoWorker() };
  results.workerBundle.ratio = round(
    results.workerBundle.example.minGzip / results.workerBundle.bareHono.minGzip,
    1,
  );
  const w = results.workerBundle;
  rows.unshift(
    [
      `cold import core + backend-${c.backend} (median of ${runs})`,
      `${c.paybridgeMs} ms`,
      `${c.ratio}× hono`,
    ],
    ['cold import hono', `${c.honoMs} ms`, ''],
    [
      "cold import zod's package entry (no longer imported: see @paybridge/core/schema)",
      `${c.zodMs} ms`,
      `${c.zodRatio}× hono`,
    ],
    [`  CPU time: core + backend-${c.backend}`, `${c.paybridgeCpuMs} ms`, `${c.cpuRatio}× hono`],
    ['  CPU time: hono', `${c.honoCpuMs} ms`, ''],
    ["  CPU time: zod's package entry", `${c.zodCpuMs} ms`, `${c.zodCpuRatio}× hono`],
    ['example worker bundle (min+gzip)', `${kB(w.example.minGzip)} kB`, `${w.ratio}× bare Hono`],
    ['bare Hono worker bundle (min+gzip)', `${kB(w.bareHono.minGzip)} kB`, ''],
  );
}

const width = (i) => Math.max(...rows.map((row) => row[i].length));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(width(i))).join('  '));

const dir = join(root, 'bench-results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `cold-start-${results.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${file}`);
