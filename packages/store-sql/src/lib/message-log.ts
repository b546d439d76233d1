import {
  type GatewayMessage,
  type GatewayMessagePatch,
  type MessageQuery,
  type NewGatewayMessage,
  type Page,
  PaybridgeError,
} from '@paybridge/core';
import { sortableId } from '@paybridge/core/kit';
import type { SqlEngine } from './engine';
import { decodeCursor, literalLimit, pageSize, toPage } from './paging';
import type { MessageRow } from './queries';
import { rowToMessage, toJson, withoutNul } from './rows';
import type { Speedups } from './speedups/speedups';

/**
 * The gateway message log. PostgreSQL `text` cannot hold U+0000 (SQLite can): a body holding one
 * is kept as base64 of its UTF-8 bytes (lossless, and `bodyEncoding` says so), and the other text
 * fields have it replaced by U+FFFD. Otherwise one stray NUL in a broker's message would make the
 * log write fail, and the pipeline answer "retry" to that message forever.
 */
function storableBody(body: string, encoding: GatewayMessage['bodyEncoding']) {
  if (encoding === 'utf8' && body.includes('\u0000')) {
    return { body: Buffer.from(body).toString('base64'), bodyEncoding: 'base64' as const };
  }
  return { body, bodyEncoding: encoding };
}

/** Absent (undefined) or null: stored as NULL. */
const textOrNull = (value: string | null | undefined): string | null =>
  value == null ? null : withoutNul(value);

const roundedOrNull = (value: number | null | undefined): number | null =>
  value == null ? null : Math.round(value);

export async function appendMessage(
  { queries, write }: Speedups,
  message: NewGatewayMessage,
): Promise<GatewayMessage> {
  const createdAt = message.createdAt ?? new Date().toISOString();
  // Named, not spread into the record: a spread followed by more properties takes V8's slow path.
  const { body, bodyEncoding } = storableBody(message.body, message.bodyEncoding);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) headers[withoutNul(name)] = withoutNul(value);
  const row: MessageRow = {
    id: sortableId('msg'),
    direction: message.direction,
    backend: withoutNul(message.backend),
    kind: withoutNul(message.kind),
    method: withoutNul(message.method),
    url: withoutNul(message.url),
    headers: toJson(headers),
    body,
    body_encoding: bodyEncoding,
    verdict: message.verdict ?? null,
    outcome: textOrNull(message.outcome),
    response_status: message.responseStatus ?? null,
    response_body: textOrNull(message.responseBody),
    payment_id: textOrNull(message.paymentId),
    detail: textOrNull(message.detail),
    duration_ms: roundedOrNull(message.durationMs),
    created_at: createdAt,
    updated_at: createdAt,
  };
  // The message as listMessages reads it back, with the headers as built (not parsed again); read
  // before the write, so a value the row cannot hold (a non-integer status) writes nothing.
  const stored = rowToMessage(row, headers);
  await write((db) => queries.insertMessage(db, row));
  return stored;
}

export async function updateMessage(
  { queries, write }: Speedups,
  id: string,
  patch: GatewayMessagePatch,
): Promise<void> {
  const set: Partial<MessageRow> = { updated_at: new Date().toISOString() };
  if (patch.verdict !== undefined) set.verdict = patch.verdict;
  if (patch.outcome !== undefined) set.outcome = textOrNull(patch.outcome);
  if (patch.responseStatus !== undefined) set.response_status = patch.responseStatus;
  if (patch.responseBody !== undefined) set.response_body = textOrNull(patch.responseBody);
  if (patch.paymentId !== undefined) set.payment_id = textOrNull(patch.paymentId);
  if (patch.detail !== undefined) set.detail = textOrNull(patch.detail);
  if (patch.durationMs !== undefined) set.duration_ms = roundedOrNull(patch.durationMs);
  const found = await write((db) => queries.updateMessage(db, id, set));
  if (!found) {
    throw new PaybridgeError('NOT_FOUND', 'No such gateway message', { details: { messageId: id } });
  }
}

export async function listMessages(engine: SqlEngine, query: MessageQuery): Promise<Page<GatewayMessage>> {
  const limit = pageSize(query.limit);
  const after = decodeCursor(query.cursor, ['number']) as [number] | null;
  let select = engine.db.selectFrom('paybridge_messages').selectAll();
  if (query.paymentId !== undefined) select = select.where('payment_id', '=', query.paymentId);
  if (query.backend !== undefined) select = select.where('backend', '=', query.backend);
  if (query.direction !== undefined) select = select.where('direction', '=', query.direction);
  // Latest first in insertion order (seq, unique, so ties on created_at cannot reorder or repeat a
  // row across pages), which created_at may not follow when instances' clocks differ.
  if (after !== null) select = select.where('seq', '<', after[0]);
  const rows = await select
    .orderBy('seq', 'desc')
    .limit(literalLimit(limit + 1))
    .execute();
  return toPage(
    rows,
    limit,
    (row) => rowToMessage(row),
    (last) => [Number(last.seq)],
  );
}
