import { parseArgs } from 'node:util';
import type { Paybridge } from '@paybridge/core';
import { CliError } from './errors';
import type { CliIo } from './io';
import { type LoadedBridge, loadBridge } from './load-bridge';
import { secretRedactor } from './redact';

export interface OptionDef {
  type: 'string' | 'boolean';
  description: string;
  /** Shown after the flag in help: `--port <n>`. */
  valueName?: string;
  short?: string;
  /** Repeatable: the value is an array. */
  multiple?: boolean;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

/** What a command gets: parsed arguments, the io, and its bridge on demand. */
export interface CommandContext {
  io: CliIo;
  values: Values;
  positionals: string[];
  /** Loads the config's bridge, runs `fn` with output redacted of its secrets, then closes it. */
  withBridge<T>(
    fn: (bridge: Paybridge, out: (text: string) => void, loaded: LoadedBridge) => Promise<T>,
  ): Promise<T>;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage after `paybridge`, e.g. `payments list|show <id> [options]`. */
  usage: string;
  /** Paragraphs shown by `--help` after the usage line. */
  details?: string;
  options: Record<string, OptionDef>;
  /** How many positionals the command takes. */
  positionals: { min: number; max: number };
  run(ctx: CommandContext): Promise<number>;
}

export const GLOBAL_OPTIONS: Record<string, OptionDef> = {
  config: {
    type: 'string',
    valueName: 'file',
    description: 'the config file (default ./paybridge.config.ts)',
  },
  help: { type: 'boolean', short: 'h', description: 'this help' },
};

function flag(name: string, def: OptionDef): string {
  const short = def.short ? `-${def.short}, ` : '';
  return `${short}--${name}${def.valueName ? ` <${def.valueName}>` : ''}`;
}

export function commandHelp(command: Command): string {
  const all = { ...command.options, ...GLOBAL_OPTIONS };
  const flags = Object.entries(all).map(([name, def]) => [flag(name, def), def.description] as const);
  const width = Math.max(...flags.map(([f]) => f.length));
  return [
    `Usage: paybridge ${command.usage}`,
    '',
    command.summary,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...flags.map(([f, description]) => `  ${f.padEnd(width)}  ${description}`),
  ].join('\n');
}

/** Parses `argv` for `command` (strict: an unknown flag is an error with the fix). */
export function parseCommandArgs(
  command: Command,
  argv: string[],
): { values: Values; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries({ ...command.options, ...GLOBAL_OPTIONS }).map(([name, def]) => [
      name,
      {
        type: def.type,
        ...(def.short ? { short: def.short } : {}),
        ...(def.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split(/\.\s|\n/)[0];
    throw new CliError(reason ?? 'invalid arguments', `see \`paybridge ${command.name} --help\``, 2);
  }
  const values = parsed.values as Values;
  if (!values.help) {
    const count = parsed.positionals.length;
    if (count < command.positionals.min || count > command.positionals.max)
      throw new CliError(
        count < command.positionals.min
          ? 'missing argument'
          : `unexpected argument ${parsed.positionals[command.positionals.max]}`,
        `usage: paybridge ${command.usage}`,
        2,
      );
  }
  return { values, positionals: parsed.positionals };
}

export function commandContext(io: CliIo, values: Values, positionals: string[]): CommandContext {
  return {
    io,
    values,
    positionals,
    async withBridge(fn) {
      const loaded = await loadBridge({ cwd: io.cwd, config: values.config as string | undefined });
      const redact = secretRedactor(loaded.bridge);
      try {
        return await fn(loaded.bridge, (text) => io.out(redact(text)), loaded);
      } finally {
        await loaded.close();
      }
    },
  };
}
