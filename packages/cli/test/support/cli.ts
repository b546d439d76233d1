import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's packages folder; the tests drive the built packages found there. */
export const PACKAGES = fileURLToPath(new URL('../../..', import.meta.url));
/** The `paybridge` bin as package.json declares it (what npx runs), which loads the built dist/cli.js. */
const { bin } = JSON.parse(readFileSync(`${PACKAGES}cli/package.json`, 'utf8')) as {
  bin: { paybridge: string };
};
export const CLI = join(`${PACKAGES}cli`, bin.paybridge);
const BUILT_CLI = `${PACKAGES}cli/dist/cli.js`;

/** The ESM build of a workspace package, for config files written outside the repository. */
export function built(
  pkg: 'core' | 'store-sql' | 'backend-payu' | 'backend-cmcic' | 'backend-paypal' | 'sandbox',
): string {
  const file = `${PACKAGES}${pkg}/dist/index.js`;
  if (!existsSync(file) || !existsSync(BUILT_CLI))
    throw new Error(
      `${file} or ${BUILT_CLI} is missing: build first (pnpm exec turbo run build --filter @paybridge/cli...)`,
    );
  return file;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Waits for `child` to exit, collecting its output; killed and refused as `what` after `timeoutMs`. */
function collect(child: ChildProcess, what: string, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the real `paybridge` binary once, in `cwd`, and waits for it to exit. */
export function paybridge(args: string[], cwd: string, timeoutMs = 30_000): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  return collect(child, `paybridge ${args.join(' ')}`, timeoutMs);
}

/**
 * Runs the real `paybridge` binary on a terminal: util-linux `script` gives it a pseudo-terminal as
 * stdout and stderr, and the output is what a user would see (carriage returns included).
 */
export function paybridgeOnTerminal(args: string[], cwd: string, timeoutMs = 30_000): Promise<CliRun> {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child, `paybridge ${args.join(' ')} on a terminal`, timeoutMs);
}

/** Starts a long-running `paybridge` command and resolves once a stdout line matches `ready`. */
export function paybridgeServing(
  args: string[],
  cwd: string,
  ready: RegExp,
): Promise<{
  child: ChildProcess;
  match: RegExpMatchArray;
  output: () => string;
  stop(): Promise<number | null>;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${stdout}\n${stderr}`)), 20_000);
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          match,
          output: () => stdout,
          stop: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${stdout}\n${stderr}`));
    });
  });
}
