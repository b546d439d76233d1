import { isPaybridgeError } from '@paybridge/core';

/**
 * A failure the CLI reports as one line plus the fix, and an exit code: 1 for a problem found,
 * 2 for a command line that cannot be run as written.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Any error as the CLI prints it: its one line and what to do about it. */
export function explain(error: unknown, configFile?: string): { message: string; fix: string } {
  if (error instanceof CliError) return { message: error.message, fix: error.fix };
  if (isPaybridgeError(error)) {
    const where = configFile ? ` in ${configFile}` : '';
    const fixes: Record<string, string> = {
      INVALID_CONFIG: `correct the settings named above${where}`,
      STORE_UNAVAILABLE: `check the store's connection settings${where} and that the database is running`,
      BROKER_UNAVAILABLE: 'check the network and the backend’s `endpoint` setting; run `paybridge doctor`',
      BROKER_ERROR: 'check the backend’s credentials; run `paybridge doctor`',
      UNKNOWN_PAYMENT: 'list payment ids with `paybridge payments list`',
      UNKNOWN_MESSAGE: 'find message ids with `paybridge payments show <payment-id>`',
      UNKNOWN_BACKEND: `add the backend to \`backends\`${where}, or use one of its ids`,
    };
    return {
      message: `${error.code}: ${error.message}`,
      fix: fixes[error.code] ?? 'see the error code in the @paybridge/core README',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message, fix: 'rerun with the same arguments; if it persists, report it with this line' };
}
