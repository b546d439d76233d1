import { doctorCommand } from './commands/doctor';
import { migrateCommand } from './commands/migrate';
import { paymentsCommand } from './commands/payments';
import { reconcileCommand } from './commands/reconcile';
import { replayCommand } from './commands/replay';
import { sandboxCommand } from './commands/sandbox';
import { setupCommand } from './commands/setup';
import { type Command, commandContext, commandHelp, parseCommandArgs } from './lib/command';
import { explain } from './lib/errors';
import type { CliIo } from './lib/io';

export const COMMANDS: readonly Command[] = [
  setupCommand,
  doctorCommand,
  migrateCommand,
  reconcileCommand,
  paymentsCommand,
  replayCommand,
  sandboxCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: paybridge <command> [options]',
    '',
    'Acts on the bridge your paybridge.config.ts exports (or --config <file>).',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `paybridge <command> --help` for a command’s options.',
  ].join('\n');
}

/**
 * Runs one command line (without the `node paybridge` prefix) and resolves with its exit code:
 * 0 done, 1 a problem found (doctor, a failed pull, an error with its fix), 2 a command line that
 * cannot be run as written. Errors are printed as one line plus the fix.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(
      `paybridge: unknown command ${name}\n  fix: run one of ${COMMANDS.map((c) => c.name).join(', ')} (see \`paybridge --help\`)`,
    );
    return 2;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, [...rest]);
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run(commandContext(io, values, positionals));
  } catch (error) {
    const { message, fix } = explain(error);
    io.err(`paybridge ${command.name}: ${message}\n  fix: ${fix}`);
    return (error as { exitCode?: number }).exitCode ?? 1;
  }
}
