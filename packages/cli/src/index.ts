export type { Check } from './lib/checks';
export { CliError } from './lib/errors';
export type { CliIo } from './lib/io';
export { CONFIG_FILES, type LoadedBridge, loadBridge } from './lib/load-bridge';
export { COMMANDS, run } from './run';
