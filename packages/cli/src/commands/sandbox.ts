import {
  createSandbox,
  credentialsText,
  DEFAULT_CMCIC_TPES,
  offsetClock,
  type Sandbox,
} from '@paybridge/sandbox';
import type { Command } from '../lib/command';
import { CliError } from '../lib/errors';
import { listen } from '../lib/node-server';

function allowList(values: string[]): string[] {
  for (const prefix of values)
    if (!URL.canParse(prefix) || !/^https?:$/.test(new URL(prefix).protocol))
      throw new CliError(
        `--allow-delivery ${prefix} is not an http(s) URL`,
        'pass your app’s URL, e.g. --allow-delivery http://localhost:3000',
        2,
      );
  return values;
}

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary:
    'Runs the local broker simulators (@paybridge/sandbox) standalone and prints each broker’s base URL.',
  usage: 'sandbox [--port <n>] [--host <addr>] [--allow-delivery <url>]...',
  details: [
    'Point a backend’s `endpoint` setting at its base URL. Notifications go only to URLs named with',
    '--allow-delivery (your app’s origin). JSON control routes are served below /_control. Ctrl-C stops it.',
  ].join('\n'),
  options: {
    port: {
      type: 'string',
      valueName: 'n',
      description: 'port to listen on (default 4000; 0 picks a free one)',
    },
    host: { type: 'string', valueName: 'addr', description: 'address to bind (default 127.0.0.1)' },
    'allow-delivery': {
      type: 'string',
      valueName: 'url',
      multiple: true,
      description: 'let notifications go to URLs starting with this prefix (repeatable)',
    },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const portText = (ctx.values.port as string | undefined) ?? '4000';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535)
      throw new CliError(`--port ${portText} is not a port number`, 'pass a port between 0 and 65535', 2);
    const allowed = allowList((ctx.values['allow-delivery'] as string[] | undefined) ?? []);
    let sandbox: Sandbox | null = null;
    const { server, origin } = await listen(
      (ctx.values.host as string | undefined) ?? '127.0.0.1',
      port,
      () => (sandbox ? (request) => (sandbox as Sandbox).handler(request) : null),
    ).catch((error: unknown) => {
      throw new CliError(
        `cannot listen on port ${portText}: ${(error as Error).message}`,
        'pick a free port with --port, or --port 0 for any',
        1,
      );
    });
    sandbox = createSandbox({
      baseUrl: origin,
      clock: offsetClock(),
      deliveryAllowList: allowed,
      controlRoutes: true,
    });
    for (const tpe of DEFAULT_CMCIC_TPES) sandbox.cmcic.addTpe({ ...tpe, retourUrl: '', mode: 'immediate' });
    sandbox.start();
    ctx.io.out(
      [
        `paybridge sandbox listening on ${origin}`,
        ...sandbox.brokers.map((broker) => `  ${broker.padEnd(10)} ${origin}/${broker}`),
        `  ${'control'.padEnd(10)} ${origin}/_control`,
        allowed.length
          ? `  notifications go to: ${allowed.join(', ')}`
          : '  notifications go nowhere yet: pass --allow-delivery <your app URL>',
        '',
        credentialsText(sandbox.credentials()),
      ].join('\n'),
    );
    await ctx.io.interrupted;
    sandbox.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return 0;
  },
};
