import type { SetupInstructions } from '@paybridge/core';
import type { Command } from '../lib/command';
import { CliError } from '../lib/errors';

function asText(baseUrl: string, instructions: SetupInstructions[]): string {
  const blocks = instructions.map((item) => {
    const width = Math.max(0, ...item.urls.map((u) => u.label.length));
    return [
      `${item.displayName} (${item.backend})`,
      ...(item.urls.length
        ? ['  Paste into the back office:', ...item.urls.map((u) => `    ${u.label.padEnd(width)}  ${u.url}`)]
        : []),
      ...(item.steps.length ? ['  Settings:', ...item.steps.map((step, i) => `    ${i + 1}. ${step}`)] : []),
      ...(item.warnings.length ? ['  Warnings:', ...item.warnings.map((w) => `    ! ${w}`)] : []),
    ].join('\n');
  });
  return [`Set-up for the bridge at ${baseUrl}`, '', blocks.join('\n\n')].join('\n');
}

export const setupCommand: Command = {
  name: 'setup',
  summary: 'Per backend, the URLs to paste into the broker’s back office and the account settings to tick.',
  usage: 'setup [--base-url <url>] [--json]',
  details:
    'The URLs are built from --base-url, else the `baseUrl` of the config: where the bridge is served publicly.',
  options: {
    'base-url': {
      type: 'string',
      valueName: 'url',
      description: 'public URL the bridge is served at (default: the config’s baseUrl)',
    },
    json: {
      type: 'boolean',
      description: 'print JSON: { baseUrl, backends: [{ backend, displayName, urls, steps, warnings }] }',
    },
  },
  positionals: { min: 0, max: 0 },
  run: (ctx) =>
    ctx.withBridge(async (bridge, out) => {
      const given = ctx.values['base-url'] as string | undefined;
      const baseUrl = (given ?? bridge.baseUrl ?? '').replace(/\/+$/, '');
      if (!baseUrl)
        throw new CliError(
          'no public base URL: the config sets no `baseUrl`',
          'pass --base-url https://your-shop.example/payments (where the bridge is served), or set baseUrl in the config',
          2,
        );
      if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol))
        throw new CliError(
          `--base-url ${baseUrl} is not an http(s) URL`,
          'pass an absolute URL such as https://your-shop.example/payments',
          2,
        );
      const instructions = bridge.setupInstructions(baseUrl);
      out(
        ctx.values.json
          ? JSON.stringify({ baseUrl, backends: instructions }, null, 2)
          : asText(baseUrl, instructions),
      );
      return 0;
    }),
};
