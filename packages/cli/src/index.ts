/**
 * `@paybridge/cli`: the `paybridge` binary's commands, callable from a script or a test. `run` takes
 * the arguments and a `CliIo` (where to write, the working directory) and resolves to the exit code;
 * `loadBridge` loads `paybridge.config.ts` as the binary does. The commands themselves are described
 * in the [command-line guide](/guide/cli).
 *
 * @packageDocumentation
 */

export type { Check } from './lib/checks';
export { CliError } from './lib/errors';
export type { CliIo } from './lib/io';
export { CONFIG_FILES, type LoadedBridge, loadBridge } from './lib/load-bridge';
export { COMMANDS, run } from './run';
