import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isPaybridgeError, type Paybridge } from '@paybridge/core';
import { createJiti } from 'jiti';
import { CliError } from './errors';

/** Looked for, in this order, in the working directory when `--config` is not given. */
export const CONFIG_FILES = [
  'paybridge.config.ts',
  'paybridge.config.mts',
  'paybridge.config.cts',
  'paybridge.config.js',
  'paybridge.config.mjs',
  'paybridge.config.cjs',
] as const;

/** The merchant's bridge, loaded from their config file. */
export interface LoadedBridge {
  bridge: Paybridge;
  /** The config file's absolute path. */
  file: string;
  /** Stops the bridge's background work and closes its store, so that the process can exit. */
  close(): Promise<void>;
}

export function findConfigFile(cwd: string, given: string | undefined): string {
  if (given !== undefined) {
    const file = isAbsolute(given) ? given : resolve(cwd, given);
    if (!existsSync(file))
      throw new CliError(
        `config file ${given} not found`,
        'pass --config <file> with the path to your paybridge config',
      );
    return file;
  }
  for (const name of CONFIG_FILES) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new CliError(
    `no paybridge.config.ts in ${cwd}`,
    'create paybridge.config.ts whose default export is your createPaybridge({...}) bridge, or pass --config <file>',
  );
}

/** What a default export must offer to be driven by this CLI (a bridge from @paybridge/core). */
const BRIDGE_MEMBERS = [
  'handler',
  'setupInstructions',
  'reconcile',
  'replayMessage',
  'backends',
  'close',
] as const;

function asBridge(value: unknown, file: string): Paybridge {
  const candidate = value as Record<string, unknown> | null;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.handler !== 'function')
    throw new CliError(
      `${file} does not export a bridge as its default export`,
      'end the file with `export default createPaybridge({ ... })`',
    );
  const missing = BRIDGE_MEMBERS.filter((name) => typeof candidate[name] !== 'function');
  if (missing.length || typeof candidate.store !== 'object')
    throw new CliError(
      `the bridge in ${file} lacks ${missing.join(', ') || 'store'}: its @paybridge/core is older than this CLI`,
      'upgrade @paybridge/core to the version @paybridge/cli names as its peer dependency',
    );
  return value as Paybridge;
}

/** Loads the config file as TypeScript (or JavaScript) with jiti and returns its default export, checked. */
export async function loadBridge(options: {
  cwd: string;
  config?: string | undefined;
}): Promise<LoadedBridge> {
  const file = findConfigFile(options.cwd, options.config);
  const jiti = createJiti(file, { fsCache: false, moduleCache: true });
  let exported: unknown;
  try {
    exported = await jiti.import(file, { default: true });
  } catch (error) {
    if (isPaybridgeError(error) && error.code === 'INVALID_CONFIG')
      throw new CliError(
        `invalid configuration in ${file}: ${error.message}`,
        `correct the settings named above in ${file}`,
      );
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError(
      `could not load ${file}: ${reason}`,
      'fix the error in the config file (it runs as TypeScript through jiti)',
    );
  }
  const bridge = asBridge(exported, file);
  return {
    bridge,
    file,
    async close() {
      bridge.close();
      await bridge.store.close?.();
    },
  };
}
