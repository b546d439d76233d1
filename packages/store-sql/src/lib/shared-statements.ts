import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import { batcher } from './batcher';
import type { Database, MessagesTable, PaymentsTable } from './schema';

export type MessageRow = Omit<MessagesTable, 'seq'>;

/**
 * The notification's single-statement steps, shared between concurrent callers: on PostgreSQL each
 * costs a network round trip and, for writes, a commit, so the callers of one event-loop turn share
 * one statement (`batcher.ts`). Each statement is atomic and answers per item.
 */
export interface SharedStatements {
  insertMessage(row: MessageRow): Promise<void>;
  /** Whether a message with this id was there to update. */
  updateMessage(id: string, set: Partial<MessageRow>): Promise<boolean>;
  markEmitted(ids: readonly string[]): Promise<void>;
  selectPayment(id: string): Promise<Selectable<PaymentsTable> | undefined>;
}

// PostgreSQL types of the message columns (everything else is text): unnest needs typed arrays.
const MESSAGE_TYPES: Partial<Record<keyof MessageRow, string>> = {
  headers: 'jsonb',
  response_status: 'integer',
  duration_ms: 'integer',
};

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export function postgresSharedStatements(db: Kysely<Database>, schema: string | null): SharedStatements {
  const table = (name: keyof Database) => (schema ? `${quoted(schema)}.${quoted(name)}` : quoted(name));
  const run = <R>(text: string, parameters: unknown[]) =>
    db.executeQuery<R>(CompiledQuery.raw(text, parameters));
  const column = (name: string) => quoted(name);
  const arrayOf = (name: string) => `${MESSAGE_TYPES[name as keyof MessageRow] ?? 'text'}[]`;

  const insertMessages = async (rows: readonly MessageRow[]): Promise<undefined[]> => {
    const columns = Object.keys(rows[0] as MessageRow);
    const text = `insert into ${table('paybridge_messages')} (${columns.map(column).join(', ')}) select * from unnest(${columns
      .map((name, index) => `$${index + 1}::${arrayOf(name)}`)
      .join(', ')})`;
    await run(
      text,
      columns.map((name) => rows.map((row) => row[name as keyof MessageRow])),
    );
    return rows.map(() => undefined);
  };

  interface MessageUpdate {
    id: string;
    set: Partial<MessageRow>;
  }
  const updateMessages = async (updates: readonly MessageUpdate[]): Promise<boolean[]> => {
    const ids = updates.map((update) => update.id);
    const columns = Object.keys((updates[0] as MessageUpdate).set);
    const text = `update ${table('paybridge_messages')} as m set ${columns
      .map((name) => `${column(name)} = u.${column(name)}`)
      .join(', ')} from unnest($1::text[], ${columns
      .map((name, index) => `$${index + 2}::${arrayOf(name)}`)
      .join(', ')}) as u ("id", ${columns.map(column).join(', ')}) where m."id" = u."id" returning m."id"`;
    const result = await run<{ id: string }>(text, [
      ids,
      ...columns.map((name) => updates.map((update) => update.set[name as keyof MessageRow])),
    ]);
    const found = new Set(result.rows.map((row) => row.id));
    return ids.map((id) => found.has(id));
  };

  const markAll = async (batches: readonly (readonly string[])[]): Promise<undefined[]> => {
    const ids = [...new Set(batches.flat())];
    await run(
      `update ${table('paybridge_transitions')} set "emitted_at" = $1 where "id" = any($2::text[]) and "emitted_at" is null`,
      [new Date().toISOString(), ids],
    );
    return batches.map(() => undefined);
  };

  const selectAll = async (ids: readonly string[]): Promise<(Selectable<PaymentsTable> | undefined)[]> => {
    const result = await run<Selectable<PaymentsTable>>(
      `select * from ${table('paybridge_payments')} where "id" = any($1::text[])`,
      [[...new Set(ids)]],
    );
    const byId = new Map(result.rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  };

  const insertMessage = batcher<MessageRow, undefined>({
    runBatch: insertMessages,
    runOne: async (row) => {
      await insertMessages([row]);
    },
  });
  // One batcher per shape of update (the set of columns), so that one statement fits all its items.
  const messageUpdates = new Map<string, (update: MessageUpdate) => Promise<boolean>>();
  const markEmitted = batcher<readonly string[], undefined>({
    runBatch: markAll,
    runOne: async (ids) => {
      await markAll([ids]);
    },
  });
  const selectPayment = batcher<string, Selectable<PaymentsTable> | undefined>({
    runBatch: selectAll,
    runOne: async (id) => (await selectAll([id]))[0],
  });

  return {
    insertMessage,
    updateMessage: (id, set) => {
      const shape = Object.keys(set).join();
      let update = messageUpdates.get(shape);
      if (!update) {
        update = batcher<MessageUpdate, boolean>({
          runBatch: updateMessages,
          // The same message twice in one turn: one after the other, in the order they came.
          key: (one) => one.id,
          runOne: async (one) => (await updateMessages([one]))[0] as boolean,
        });
        messageUpdates.set(shape, update);
      }
      return update({ id, set });
    },
    markEmitted: (ids) => (ids.length === 0 ? Promise.resolve() : markEmitted(ids)),
    selectPayment,
  };
}
