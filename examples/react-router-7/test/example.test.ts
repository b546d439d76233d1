import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { purchase, type Running, startExample } from '../../test-support/purchase';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const { bin } = JSON.parse(readFileSync(`${cwd}node_modules/@react-router/dev/package.json`, 'utf8'));
const cli = `node_modules/@react-router/dev/${typeof bin === 'string' ? bin : bin['react-router']}`;

/** `react-router build`, as a user runs it before starting the server. */
function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'build'], {
      cwd,
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`react-router build: ${code}\n${output}`)),
    );
  });
}

let app: Running | undefined;
beforeAll(async () => {
  await build();
  app = await startExample(process.execPath, ['server.mjs'], cwd);
}, 240_000);
afterAll(async () => {
  await app?.stop();
});

it('builds with React Router 7, starts on Node and takes one purchase through the sandbox', async () => {
  const home = await fetch(`${(app as Running).url}/`);
  expect(await home.text()).toContain('<h1>shop</h1>');
  expect(await purchase(app as Running)).toBe('paid');
});
