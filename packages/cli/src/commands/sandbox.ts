import {
  createStandaloneSandbox,
  STANDALONE_FLAGS,
  StandaloneOptionError,
  type StandaloneValues,
  standaloneBanner,
} from '@paybridge/sandbox';
import type { Command, OptionDef } from '../lib/command';
import { CliError } from '../lib/errors';
import { listen } from '../lib/node-server';

/** The standalone sandbox's own flags (shared with `paybridge-sandbox`), as this CLI's options. */
const standaloneOptions: Record<string, OptionDef> = Object.fromEntries(
  Object.entries(STANDALONE_FLAGS).map(([name, flag]) => [
    name,
    {
      type: flag.type,
      description: flag.description,
      ...('valueName' in flag ? { valueName: flag.valueName } : {}),
      ...('multiple' in flag ? { multiple: flag.multiple } : {}),
    },
  ]),
);

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary:
    'Runs the local broker simulators (@paybridge/sandbox) standalone and prints each broker’s base URL.',
  usage:
    'sandbox [--port <n>] [--host <addr>] [--allow-delivery <url>]... [--cmcic-retour <url>] [--stripe-webhook <url> --stripe-webhook-secret <whsec_…>] [--razorpay-webhook <url> --razorpay-webhook-secret <s>] [--flutterwave-webhook <url>]',
  details: [
    'Point each backend’s `endpoint` setting at its base URL. Notifications that carry their URL go only to',
    'the --allow-delivery prefixes (your app’s origin); the URLs a broker’s back office would hold (CM-CIC’s',
    'return interface, Stripe, Razorpay and Flutterwave webhooks) are given with their own flags. JSON control',
    'routes are served below /_control. Ctrl-C stops it.',
  ].join('\n'),
  options: {
    port: {
      type: 'string',
      valueName: 'n',
      description: 'port to listen on (default 4000; 0 picks a free one)',
    },
    host: { type: 'string', valueName: 'addr', description: 'address to bind (default 127.0.0.1)' },
    ...standaloneOptions,
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const portText = (ctx.values.port as string | undefined) ?? '4000';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535)
      throw new CliError(`--port ${portText} is not a port number`, 'pass a port between 0 and 65535', 2);
    const values = ctx.values as StandaloneValues;
    const given = values['public-url'];
    if (given !== undefined && !(URL.canParse(given) && /^https?:$/.test(new URL(given).protocol)))
      throw new CliError(
        `--public-url ${given} is not an http(s) URL`,
        'pass the URL your browser reaches the sandbox at',
        2,
      );
    let sandbox: ReturnType<typeof createStandaloneSandbox> | null = null;
    const { server, origin } = await listen(
      (ctx.values.host as string | undefined) ?? '127.0.0.1',
      port,
      () =>
        sandbox
          ? (request) => (sandbox as ReturnType<typeof createStandaloneSandbox>).handler(request)
          : null,
    ).catch((error: unknown) => {
      throw new CliError(
        `cannot listen on port ${portText}: ${(error as Error).message}`,
        'pick a free port with --port, or --port 0 for any',
        1,
      );
    });
    const publicUrl = (given ?? origin).replace(/\/+$/, '');
    try {
      sandbox = createStandaloneSandbox(publicUrl, values);
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (error instanceof StandaloneOptionError) throw new CliError(error.message, error.fix, 2);
      throw error;
    }
    ctx.io.out(standaloneBanner(sandbox, publicUrl, values['no-control'] !== true));
    await ctx.io.interrupted;
    sandbox.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return 0;
  },
};
