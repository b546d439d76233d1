import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const BUILTINS = new Set(builtinModules);

/**
 * `require('net')` in pg (CommonJS) becomes an import of `node:net`, which workerd serves under
 * `nodejs_compat`; esbuild alone would leave a `require` that an ES module worker cannot call.
 */
const nodeBuiltins: Plugin = {
  name: 'node-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!BUILTINS.has(name)) return undefined;
      if (args.kind !== 'require-call') return { path: `node:${name}`, external: true };
      return { path: name, namespace: 'node-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      // As Node's require() gives it: the default export, carrying the named ones (EventEmitter.EventEmitter).
      contents: `import * as m from 'node:${args.path}';
        const d = m.default;
        if (typeof d === 'function') for (const k of Object.keys(m)) if (k !== 'default' && !(k in d)) d[k] = m[k];
        module.exports = typeof d === 'function' ? d : { ...d, ...m };`,
      loader: 'js',
    }));
  },
};

/** The worker as `wrangler deploy` would ship it: one ES module, minified. */
export async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/worker.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    minify: process.env.WORKER_MINIFY !== '0',
    write: false,
    plugins: [nodeBuiltins],
    logLevel: 'silent',
  });
  return (result.outputFiles[0] as { text: string }).text;
}
