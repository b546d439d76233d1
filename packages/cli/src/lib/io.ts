/** Where a command writes: the process's streams in the bin, buffers in an embedding program. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Rewrites one status line in place on a terminal (a progress bar); null clears it. */
  progress(line: string | null): void;
  /** Whether stdout is a terminal (progress bars, colours); false when piped or captured. */
  readonly isTTY: boolean;
  /** Working directory where `paybridge.config.ts` is looked for. */
  readonly cwd: string;
  /** Resolves when the user asks to stop (Ctrl-C), for long-running commands such as `sandbox`. */
  readonly interrupted: Promise<void>;
}

/** The CLI's io over the current process. */
export function processIo(): CliIo {
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    progress: (line) => process.stderr.write(line === null ? '\r\x1b[K' : `\r${line}\x1b[K`),
    isTTY: process.stdout.isTTY === true,
    cwd: process.cwd(),
    interrupted,
  };
}
