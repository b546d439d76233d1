import { type Check, runChecks } from '../lib/checks';
import type { Command } from '../lib/command';
import { CliError } from '../lib/errors';

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

function render(checks: Check[]): string {
  const lines = checks.flatMap((c) => [
    `${MARK[c.status]} ${c.subject}: ${c.detail}`,
    ...(c.fix ? [`    fix: ${c.fix}`] : []),
  ]);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  const verdict = failed ? `${failed} problem(s), ${warned} warning(s)` : `no problems, ${warned} warning(s)`;
  return [...lines, '', `doctor: ${verdict}`].join('\n');
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Checks the configuration offline and online; exits 1 when it finds a problem.',
  usage: 'doctor [--offline] [--timeout <ms>] [--json]',
  details: [
    'Offline: the config loads (each backend validates its keys and settings), baseUrl is https, the store',
    'is reachable and migrated, and which optional credentials each backend runs without (and the',
    'operations they would enable). Online: each broker’s endpoint answers.',
  ].join('\n'),
  options: {
    offline: { type: 'boolean', description: 'skip the checks that reach the brokers' },
    timeout: {
      type: 'string',
      valueName: 'ms',
      description: 'how long each broker may take to answer (default 5000)',
    },
    json: { type: 'boolean', description: 'print JSON: { ok, checks: [{ status, subject, detail, fix? }] }' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const timeoutMs = Number(ctx.values.timeout ?? 5000);
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
      throw new CliError(
        `--timeout ${ctx.values.timeout} is not a positive number of milliseconds`,
        'pass e.g. --timeout 5000',
        2,
      );
    const print = (checks: Check[], out: (text: string) => void) => {
      const ok = checks.every((c) => c.status !== 'fail');
      out(ctx.values.json ? JSON.stringify({ ok, checks }, null, 2) : render(checks));
      return ok ? 0 : 1;
    };
    try {
      return await ctx.withBridge(async (bridge, out) =>
        print(await runChecks(bridge, { offline: ctx.values.offline === true, timeoutMs }), out),
      );
    } catch (error) {
      // A config that does not load (a malformed key, an unknown setting) is the first thing doctor reports.
      if (!(error instanceof CliError) || error.exitCode !== 1) throw error;
      return print([{ status: 'fail', subject: 'config', detail: error.message, fix: error.fix }], (t) =>
        ctx.io.out(t),
      );
    }
  },
};
