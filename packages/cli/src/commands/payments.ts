import {
  formatMinor,
  type GatewayMessage,
  PAYMENT_STATUSES,
  type Paybridge,
  type Payment,
  type PaymentStatus,
  type Transition,
} from '@paybridge/core';
import type { Command, Values } from '../lib/command';
import { CliError } from '../lib/errors';
import { table } from '../lib/table';

const amount = (value: number, currency: string) => `${formatMinor(value, currency)} ${currency}`;

async function list(bridge: Paybridge, values: Values, out: (text: string) => void): Promise<number> {
  const status = values.status as string | undefined;
  if (status !== undefined && !(PAYMENT_STATUSES as readonly string[]).includes(status))
    throw new CliError(
      `--status ${status} is not a payment status`,
      `use one of ${PAYMENT_STATUSES.join(', ')}`,
      2,
    );
  const limit = Number(values.limit ?? 50);
  if (!(Number.isSafeInteger(limit) && limit > 0 && limit <= 500))
    throw new CliError(`--limit ${values.limit} is not between 1 and 500`, 'pass e.g. --limit 50', 2);
  const page = await bridge.store.listPayments({
    limit,
    ...(status ? { status: status as PaymentStatus } : {}),
    ...(values.backend ? { backend: values.backend as string } : {}),
    ...(values.order ? { orderId: values.order as string } : {}),
  });
  if (values.json) {
    out(JSON.stringify({ payments: page.items, more: page.nextCursor !== null }, null, 2));
    return 0;
  }
  if (page.items.length === 0) {
    out('No payments.');
    return 0;
  }
  const rows = page.items.map((p) => [
    p.id,
    p.backend,
    p.orderId,
    p.status,
    amount(p.amount, p.currency),
    p.createdAt,
  ]);
  out(table(['payment', 'backend', 'order', 'status', 'amount', 'created'], rows));
  if (page.nextCursor)
    out(`(first ${limit} shown: narrow with --status, --backend, --order or raise --limit)`);
  return 0;
}

async function allMessages(bridge: Paybridge, paymentId: string): Promise<GatewayMessage[]> {
  const messages: GatewayMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await bridge.store.listMessages({ paymentId, limit: 500, ...(cursor ? { cursor } : {}) });
    messages.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return messages.reverse();
}

function describe(
  payment: Payment,
  transitions: Transition[],
  messages: GatewayMessage[],
  bodies: boolean,
): string {
  const money = (value: number) => amount(value, payment.currency);
  const lines = [
    `Payment ${payment.id}`,
    `  order      ${payment.orderId}`,
    `  backend    ${payment.backend}${payment.testMode ? ' (test mode)' : ''}`,
    `  status     ${payment.status}`,
    `  amount     ${money(payment.amount)} (paid ${money(payment.amountPaid)}, refunded ${money(payment.amountRefunded)})`,
    `  broker id  ${payment.externalId ?? '-'}`,
    `  created    ${payment.createdAt}, updated ${payment.updatedAt}`,
    '',
    'Transitions',
    table(
      ['at', 'from', 'to', 'cause', 'event id'],
      transitions.map((t) => [t.at, t.from, t.to, t.cause, t.eventId ?? '-']),
    ),
    '',
    'Message log (redacted)',
    messages.length
      ? table(
          ['at', 'message', 'dir', 'kind', 'verdict', 'outcome', 'http'],
          messages.map((m) => [
            m.createdAt,
            m.id,
            m.direction === 'inbound' ? 'in' : 'out',
            m.kind,
            m.verdict ?? '-',
            m.outcome ?? '-',
            String(m.responseStatus ?? '-'),
          ]),
        )
      : '(no messages)',
  ];
  if (bodies)
    for (const m of messages)
      lines.push(
        '',
        `${m.id}  ${m.method} ${m.url}`,
        ...Object.entries(m.headers).map(([name, value]) => `  ${name}: ${value}`),
        `  body (${m.bodyEncoding}): ${m.body}`,
        ...(m.responseBody ? [`  answered: ${m.responseBody}`] : []),
        ...(m.detail ? [`  detail: ${m.detail}`] : []),
      );
  return lines.join('\n');
}

async function show(
  bridge: Paybridge,
  id: string,
  values: Values,
  out: (text: string) => void,
): Promise<number> {
  const payment = await bridge.store.getPayment(id);
  if (!payment) throw new CliError(`no payment ${id}`, 'list payment ids with `paybridge payments list`');
  const [transitions, messages] = await Promise.all([
    bridge.store.listTransitions(id),
    allMessages(bridge, id),
  ]);
  out(
    values.json
      ? JSON.stringify({ payment, transitions, messages }, null, 2)
      : describe(payment, transitions, messages, values.bodies === true),
  );
  return 0;
}

export const paymentsCommand: Command = {
  name: 'payments',
  summary: 'Lists payments, or shows one with its status transitions and its message log (secrets redacted).',
  usage:
    'payments list [--status <s>] [--backend <id>] [--order <id>] [--limit <n>] [--json]\n       paybridge payments show <payment-id> [--bodies] [--json]',
  options: {
    status: {
      type: 'string',
      valueName: 's',
      description: `list: only this status (${PAYMENT_STATUSES.join(', ')})`,
    },
    backend: { type: 'string', valueName: 'id', description: 'list: only this backend' },
    order: { type: 'string', valueName: 'id', description: 'list: only this order id' },
    limit: {
      type: 'string',
      valueName: 'n',
      description: 'list: at most n payments, newest first (default 50, max 500)',
    },
    bodies: { type: 'boolean', description: 'show: also each message’s headers and body (redacted)' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  positionals: { min: 1, max: 2 },
  run(ctx) {
    const [action, id] = ctx.positionals;
    if (action === 'list' && id === undefined)
      return ctx.withBridge((bridge, out) => list(bridge, ctx.values, out));
    if (action === 'show' && id !== undefined)
      return ctx.withBridge((bridge, out) => show(bridge, id, ctx.values, out));
    throw new CliError(
      action === 'show' ? 'payments show needs a payment id' : `unknown payments action ${action}`,
      'use `paybridge payments list` or `paybridge payments show <payment-id>`',
      2,
    );
  },
};
