import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 21: store-sql's public types must not need @types/pg for a SQLite-only user. The package's
// declarations are emitted from source, installed into a folder where neither pg nor @types/pg can
// be resolved, and a SQLite-only program type-checks against them with skipLibCheck: false.
const packagesRoot = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'paybridge-store-sql-types-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const userOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  types: [],
};

/** Declarations of store-sql and core as tsup would ship them (one file per module here). */
function emitDeclarations(): { core: Map<string, string>; storeSql: Map<string, string> } {
  const outDir = join(work, 'emit');
  const emitted = { core: new Map<string, string>(), storeSql: new Map<string, string>() };
  const options: ts.CompilerOptions = {
    ...userOptions,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    // Emitting is all this program is for; type errors are the package typecheck's job.
    noCheck: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(packagesRoot, '../node_modules/@types')],
    paths: { '@paybridge/core': [join(packagesRoot, 'core/src/index.ts')] },
    outDir,
  };
  const host = ts.createCompilerHost(options);
  host.writeFile = (fileName, text) => {
    const [pkg, src, ...rest] = relative(outDir, fileName).split(sep);
    if (src !== 'src') return;
    if (pkg === 'core') emitted.core.set(rest.join('/'), text);
    if (pkg === 'store-sql') emitted.storeSql.set(rest.join('/'), text);
  };
  const program = ts.createProgram([join(packagesRoot, 'store-sql/src/index.ts')], options, host);
  program.emit(undefined, undefined, undefined, true);
  return emitted;
}

function installPackage(app: string, name: string, files: Map<string, string>, dependencies: string[]) {
  const folder = join(app, 'node_modules', name);
  for (const [file, text] of files) {
    mkdirSync(dirname(join(folder, 'dist', file)), { recursive: true });
    writeFileSync(join(folder, 'dist', file), text);
  }
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({ name, type: 'module', exports: { '.': { types: './dist/index.d.ts' } } }),
  );
  // Its own dependencies, as npm would install them (never pg, never @types/pg).
  for (const dependency of dependencies) {
    const [owner, source] = dependency.split(':') as [string, string];
    const target = join(folder, 'node_modules', source);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(realpathSync(join(packagesRoot, owner, 'node_modules', source)), target);
  }
}

function typeErrors(entry: string): string[] {
  const program = ts.createProgram([entry], userOptions);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('store-sql public types', () => {
  it('type-check for a SQLite-only user without @types/pg (skipLibCheck: false)', () => {
    const { core, storeSql } = emitDeclarations();
    expect(storeSql.has('index.d.ts')).toBe(true);
    const app = join(work, 'app');
    installPackage(app, '@paybridge/core', core, ['core:zod', 'core:@noble/hashes']);
    installPackage(app, '@paybridge/store-sql', storeSql, ['store-sql:kysely']);
    const entry = join(app, 'index.ts');
    writeFileSync(entry, readFileSync(join(packagesRoot, 'store-sql/test/fixtures/sqlite-only/index.ts')));
    // The premise: nothing named pg can be resolved from the app.
    for (const name of ['pg', '@types/pg']) {
      const found = ts.resolveModuleName(name, entry, userOptions, ts.sys).resolvedModule;
      expect(found, name).toBeUndefined();
    }
    // The check can fail: a declaration that needs pg's types is reported in this setup.
    writeFileSync(
      join(app, 'needs-pg.d.ts'),
      "import type { Pool } from 'pg';\nexport declare const pool: Pool;\n",
    );
    writeFileSync(join(app, 'control.ts'), "export { pool } from './needs-pg';\n");
    expect(typeErrors(join(app, 'control.ts')).join('\n')).toMatch(/Cannot find module 'pg'/);

    expect(typeErrors(entry)).toEqual([]);
  }, 240_000);
});
