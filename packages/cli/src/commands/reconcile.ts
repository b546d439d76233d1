import type { ReconcileProgress, ReconcileResult } from '@paybridge/core';
import type { Command } from '../lib/command';
import { parseDuration } from '../lib/duration';
import { CliError } from '../lib/errors';
import type { CliIo } from '../lib/io';
import { table } from '../lib/table';

type Tally = Record<ReconcileProgress['outcome'], number>;

function progressBar(io: CliIo): (step: ReconcileProgress | null) => void {
  if (!io.isTTY) return () => {};
  const width = 30;
  return (step) => {
    if (!step) return io.progress(null);
    const filled = step.total ? Math.round((step.done / step.total) * width) : width;
    io.progress(
      `reconciling [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${step.done}/${step.total}`,
    );
  };
}

function summary(result: ReconcileResult, tallies: Map<string, Tally>): string {
  const rows = [...tallies].map(([backend, t]) => [
    backend,
    ...[t.changed, t.unchanged, t.failed, t.skipped, t.settled].map(String),
  ]);
  const lines = [
    table(['backend', 'changed', 'unchanged', 'failed', 'cannot pull', 'settled meanwhile'], rows),
    '',
    `reconcile: ${result.pulled} pulled, ${result.changed} changed, ${result.unchanged} unchanged, ${result.failed.length} failed, ${result.skippedNotPullable} cannot be pulled, ${result.refundsPulled} of the pulled for a refund still open${result.incomplete ? ' (incomplete: run again for the rest)' : ''}`,
  ];
  if (result.failed.length)
    lines.push(
      '',
      table(
        ['payment', 'backend', 'code', 'reason'],
        result.failed.map((f) => [f.paymentId, f.backend, f.code, f.message]),
      ),
    );
  return lines.join('\n');
}

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary:
    'Pulls every open payment from its broker and applies what the broker says (for lost notifications).',
  usage: 'reconcile [--older-than <duration>] [--limit <n>] [--json]',
  details:
    'Safe to run on a schedule and beside running instances: each change applies and is announced once. Exits 1 when a pull failed.',
  options: {
    'older-than': {
      type: 'string',
      valueName: 'duration',
      description: 'only payments created at least this long ago: 90s, 15m, 2h, 1d, 0 for all (default 5m)',
    },
    limit: {
      type: 'string',
      valueName: 'n',
      description: 'at most this many pulls in this pass (default 500)',
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const olderThanText = (ctx.values['older-than'] as string | undefined) ?? '5m';
    const olderThan = parseDuration(olderThanText);
    if (olderThan === null)
      throw new CliError(
        `--older-than ${olderThanText} is not a duration`,
        'pass e.g. --older-than 15m (s, m, h, d; 0 for every open payment)',
        2,
      );
    const limit = ctx.values.limit === undefined ? undefined : Number(ctx.values.limit);
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0))
      throw new CliError(`--limit ${ctx.values.limit} is not a positive integer`, 'pass e.g. --limit 500', 2);
    return ctx.withBridge(async (bridge, out) => {
      const tallies = new Map<string, Tally>();
      const bar = ctx.values.json ? () => {} : progressBar(ctx.io);
      const result = await bridge.reconcile({
        olderThan,
        ...(limit ? { limit } : {}),
        onProgress(step) {
          const key = step.backend ?? '(deleted)';
          const tally = tallies.get(key) ?? { changed: 0, unchanged: 0, failed: 0, skipped: 0, settled: 0 };
          tally[step.outcome]++;
          tallies.set(key, tally);
          bar(step);
        },
      });
      bar(null);
      out(ctx.values.json ? JSON.stringify(result, null, 2) : summary(result, tallies));
      return result.failed.length ? 1 : 0;
    });
  },
};
