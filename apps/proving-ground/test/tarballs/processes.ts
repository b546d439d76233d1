/** Long-running children (the sandbox, the shop) whose output is kept for the failure message. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * The environment of a process outside the workspace: without what the test runner and package
 * manager set for the repository (pnpm's bin shims put the workspace's modules on NODE_PATH, which
 * would let `require` find packages the app never installed).
 */
export function outsideEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      /^(NODE_PATH|NODE_OPTIONS|INIT_CWD|VITEST.*|PNPM_.*|npm_package_.*|npm_lifecycle_.*|npm_config_local_prefix)$/i.test(
        name,
      )
    )
      continue;
    env[name] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', ...extra };
}

export interface Child {
  process: ChildProcess;
  /** Everything it printed so far (last 20 000 characters). */
  output(): string;
  stop(): Promise<void>;
}

export function start(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: outsideEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', (code, signal) => keep(Buffer.from(`\n[${name} exited: ${code ?? signal}]\n`)));
  return {
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Thrown by a `waitFor` check to give up at once (the awaited state can no longer come). */
export class Stop extends Error {}

/** Poll until `check` answers a value (not undefined), or fail with `describe()` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; describe?: () => Promise<string> | string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof Stop)
        throw new Error(`${what}: ${error.message}\n${options.describe ? await options.describe() : ''}`);
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const details = options.describe ? await options.describe() : '';
  throw new Error(
    `timed out after ${options.timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}\n${details}`,
  );
}
