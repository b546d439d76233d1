import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@paybridge/adapter-node';
import { createSandbox, DEFAULT_CMCIC_TPES, type Sandbox } from '@paybridge/sandbox';
import { expect } from 'vitest';

/**
 * What every example's CI test does: the paybridge sandbox over real HTTP, the example started as a
 * user starts it (its own process, its own runtime), one CM-CIC purchase through both.
 */
export const TPE = DEFAULT_CMCIC_TPES[0] as (typeof DEFAULT_CMCIC_TPES)[number];

export interface Running {
  url: string;
  sandbox: Sandbox;
  stop(): Promise<void>;
}

/** The sandbox on an ephemeral port; its notifications go out with the global fetch. */
async function startSandbox(): Promise<{ sandbox: Sandbox; server: Server; url: string }> {
  let sandbox: Sandbox | undefined;
  const server = createServer((req, res) => void toNodeHandler(sandbox as Sandbox)(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox = createSandbox({ baseUrl: url, fetch: (request) => fetch(request) });
  return { sandbox, server, url };
}

/** Starts `command` in `cwd` with the sandbox's settings; resolves with the URL it prints. */
export async function startExample(command: string, args: string[], cwd: string): Promise<Running> {
  const { sandbox, server, url: sandboxUrl } = await startSandbox();
  const child: ChildProcess = spawn(command, args, {
    cwd,
    env: {
      ...process.env,
      PORT: '0',
      CMCIC_TPE: TPE.tpe,
      CMCIC_KEY: TPE.key,
      CMCIC_COMPANY: TPE.societe,
      CMCIC_ENDPOINT: `${sandboxUrl}/cmcic/test`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops what npx started under it.
    detached: true,
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line in 90 s:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
  sandbox.cmcic.addTpe({ ...TPE, retourUrl: `${url}/payments/notify/cmcic` });
  return {
    url,
    sandbox,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
      await exited;
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One purchase: start through the example, pay on the sandbox's page, the bank's call back. */
export async function purchase({ url, sandbox }: Running): Promise<string> {
  const started = await fetch(`${url}/payments/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ backend: 'cmcic', orderId: 'book-1' }),
  });
  expect(started.status).toBe(200);
  const { payment, redirect } = (await started.json()) as {
    payment: { id: string };
    redirect: { url: string; fields: Record<string, string> };
  };
  const page = await sandbox.handler(
    new Request(redirect.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(redirect.fields).toString(),
    }),
  );
  expect(page.status).toBe(200);
  await sandbox.cmcic.act(page.headers.get('x-sandbox-session') as string, 'pay', {
    card: '4000000000000002',
    cvv: '123',
  });
  await sandbox.flush();
  const response = await fetch(`${url}/payments/status/${payment.id}`);
  return ((await response.json()) as { status: string }).status;
}
