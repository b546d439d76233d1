import type { Command } from '../lib/command';

const MEANING: Record<string, string> = {
  applied: 'applied: the payment changed',
  duplicate: 'duplicate: every event in it was applied before, nothing changed',
  unchanged: 'unchanged: nothing new in it',
  rejected: 'rejected: it does not verify (a wrong key, or not from the broker)',
  retry: 'could not be verified now: retry later',
  error: 'failed on our side: see the server log',
};

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Re-runs a logged inbound notification through the pipeline (after fixing a key, say).',
  usage: 'replay <message-id> [--json]',
  details: [
    'Idempotent by the same event-id rules as the broker’s own deliveries: a notification already applied',
    'changes nothing. The re-run is logged as a new message naming the original. Message ids are listed',
    'by `paybridge payments show <payment-id>`. Exits 1 unless the pipeline accepted the message (2xx).',
  ].join('\n'),
  options: { json: { type: 'boolean', description: 'print the result as JSON' } },
  positionals: { min: 1, max: 1 },
  run: (ctx) =>
    ctx.withBridge(async (bridge, out) => {
      const messageId = ctx.positionals[0] as string;
      const result = await bridge.replayMessage(messageId);
      const ok = result.status >= 200 && result.status < 300;
      if (ctx.values.json) out(JSON.stringify(result, null, 2));
      else {
        const payment = result.paymentId ? await bridge.store.getPayment(result.paymentId) : null;
        out(
          [
            `Replayed ${messageId}${result.messageId ? ` (logged as ${result.messageId})` : ''}: answered HTTP ${result.status}`,
            `  ${result.verdict ?? 'no verdict'}, ${MEANING[result.outcome ?? ''] ?? result.outcome ?? 'no outcome recorded'}`,
            ...(payment ? [`  payment ${payment.id} is ${payment.status}`] : []),
          ].join('\n'),
        );
      }
      return ok ? 0 : 1;
    }),
};
