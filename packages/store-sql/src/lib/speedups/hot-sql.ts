import type { PaymentFilter } from '../queries';
import type { PaymentRow, TransitionRow } from '../rows';
import type { Database } from '../schema';

/** One statement: its text and its parameters, in the order the text names them. */
export interface Statement {
  sql: string;
  parameters: unknown[];
}

/** A compare-and-set of one payment, with the event ids it claims and the transitions it appends. */
export interface PaymentWrite {
  paymentId: string;
  version: number;
  /** Only the columns that differ from the row as seen (the version always does). */
  set: Partial<PaymentRow>;
  eventIds: readonly string[];
  transitions: readonly TransitionRow[];
}

/** SQLite's transaction control for the group commit (group-commit.ts). */
export const SQLITE_CONTROL = {
  begin: 'begin immediate',
  commit: 'commit',
  rollback: 'rollback',
  savepoint: 'savepoint paybridge_write',
  release: 'release paybridge_write',
  'rollback-to': 'rollback to paybridge_write',
} as const;

/** Statement texts kept per store (a bound on memory; beyond it, texts are built per call). */
const MAX_SHAPES = 512;

/** PostgreSQL types of the columns that are not `text` (unnest needs typed arrays). */
const CASTS: Record<string, string> = {
  amount: 'bigint',
  amount_authorized: 'bigint',
  amount_paid: 'bigint',
  amount_refunded: 'bigint',
  captures: 'jsonb',
  refunds: 'jsonb',
  buyer: 'jsonb',
  order_snapshot: 'jsonb',
  recurrence: 'jsonb',
  subscription: 'jsonb',
  broker_data: 'jsonb',
  effects: 'jsonb',
  headers: 'jsonb',
  test_mode: 'boolean',
  refund_open: 'boolean',
  version: 'integer',
  response_status: 'integer',
  duration_ms: 'integer',
};

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const columnList = (columns: readonly string[]) => columns.map(quoted).join(', ');

/**
 * Every statement of the speed-up layer, each written once: its text and its parameters together.
 * Each answers as its Kysely twin in queries.ts (the store's tests run both). PostgreSQL numbers its
 * placeholders ($1, $2, …), SQLite does not (?); the tables sit in `schema` when one is set.
 */
export function hotSql(dialect: 'sqlite' | 'postgres', schema: string | null) {
  const table = (name: keyof Database) => (schema ? `${quoted(schema)}.${quoted(name)}` : quoted(name));
  /** Placeholders for one statement, numbered in the order they are taken. */
  const placeholders = () => {
    let taken = 0;
    return (count = 1) =>
      Array.from({ length: count }, () => (dialect === 'postgres' ? `$${++taken}` : '?')).join(', ');
  };
  // A write's text depends only on its shape: its table, its columns in order, its rows. One text is
  // kept per table and statement size, with the columns it names; the caller's columns are compared
  // to them one by one (no shape key to build and hash: every notification runs five writes).
  const texts = new Map<string, { columns: readonly string[]; sql: string }>();
  const textOf = (key: string, columns: readonly string[], build: () => string) => {
    const known = texts.get(key);
    if (known?.columns.length === columns.length && known.columns.every((c, i) => c === columns[i]))
      return known.sql;
    const sql = build();
    if (known || texts.size < MAX_SHAPES) texts.set(key, { columns, sql });
    return sql;
  };
  const insert = (name: keyof Database, rows: readonly object[]): Statement => {
    const columns = Object.keys(rows[0] ?? {});
    // The first row's columns name every row's values, in that order; a value left undefined is NULL.
    const parameters: unknown[] = [];
    for (const row of rows) {
      for (const column of columns) parameters.push((row as Record<string, unknown>)[column] ?? null);
    }
    const sql = textOf(`${name}${rows.length}`, columns, () => {
      const next = placeholders();
      const values = rows.map(() => `(${next(columns.length)})`).join(', ');
      return `insert into ${table(name)} (${columnList(columns)}) values ${values}`;
    });
    return { sql, parameters };
  };
  const claims = (paymentId: string, eventIds: readonly string[], claimedAt: string) =>
    insert(
      'paybridge_processed_events',
      eventIds.map((eventId) => ({ event_id: eventId, payment_id: paymentId, claimed_at: claimedAt })),
    );
  const update = (name: keyof Database, set: Record<string, unknown>, where: Record<string, unknown>) => {
    // As Kysely does: a value left undefined is a column left out of the SET.
    const assigned = Object.keys(set).filter((column) => set[column] !== undefined);
    const conditions = Object.keys(where);
    // The columns set, then the columns compared: the statement's own columns in order.
    const sql = textOf(`${name}=${assigned.length}`, [...assigned, ...conditions], () => {
      const next = placeholders();
      const equal = (column: string) => `${quoted(column)} = ${next()}`;
      return `update ${table(name)} set ${assigned.map(equal).join(', ')} where ${conditions.map(equal).join(' and ')}`;
    });
    return { sql, parameters: [...assigned.map((c) => set[c]), ...conditions.map((c) => where[c])] };
  };

  const payments = table('paybridge_payments');
  const byId = `select * from ${payments} where "id" = ${placeholders()()}`;
  const next = placeholders();
  const byExternalId = `select * from ${payments} where "backend" = ${next()} and "external_id" = ${next()} order by "seq" desc limit 1`;

  return {
    insertPayment: (row: PaymentRow) => insert('paybridge_payments', [row]),
    selectPayment: (id: string): Statement => ({ sql: byId, parameters: [id] }),
    findByExternalId: (backend: string, externalId: string): Statement => ({
      sql: byExternalId,
      parameters: [backend, externalId],
    }),
    /**
     * A page of payments, newest first, after the cursor's (created_at, id): `POST /start` reads its
     * order's payments through it. Conditions and their parameters are appended together, in the
     * order of paymentPageQuery; `refund_open` and the row limit are literals, as there (a partial
     * index matches only its own literal term; SQLite stops early on a literal LIMIT).
     */
    paymentPage(
      filter: PaymentFilter,
      after: readonly [createdAt: string, id: string] | null,
      rows: number,
    ): Statement {
      const next = placeholders();
      const where: string[] = [];
      const parameters: unknown[] = [];
      const terms: [string, unknown][] = [
        ['"order_id" =', filter.orderId],
        ['"backend" =', filter.backend],
        ['"status" =', filter.status],
        ['"expires_at" <', filter.expiresBefore],
        ['"created_at" <', filter.createdBefore],
      ];
      for (const [term, value] of terms) {
        if (value === undefined) continue;
        where.push(`${term} ${next()}`);
        parameters.push(value);
      }
      if (filter.refundOpen) where.push('"refund_open" = true');
      if (after) {
        where.push(`("created_at" < ${next()} or ("created_at" = ${next()} and "id" < ${next()}))`);
        parameters.push(after[0], after[0], after[1]);
      }
      // `rows` is a number (pageSize's, plus one): written as a literal, it cannot carry SQL.
      return {
        sql: `select * from ${payments}${where.length ? ` where ${where.join(' and ')}` : ''} order by "created_at" desc, "id" desc limit ${rows}`,
        parameters,
      };
    },
    /** Claims what is new, returning it: an id claimed before is skipped. */
    claimEvents(paymentId: string, eventIds: readonly string[], claimedAt: string): Statement {
      const { sql, parameters } = claims(paymentId, eventIds, claimedAt);
      return { sql: `${sql} on conflict ("event_id") do nothing returning "event_id"`, parameters };
    },
    /** Claims every id or none: an id claimed before fails the statement, and the transaction with it. */
    claimAllEvents: claims,
    updatePayment: (id: string, version: number, set: Partial<PaymentRow>) =>
      update('paybridge_payments', set, { id, version }),
    insertTransitions: (rows: readonly TransitionRow[]) => insert('paybridge_transitions', rows),
    insertMessage: (row: object) => insert('paybridge_messages', [row]),
    updateMessage: (id: string, set: Record<string, unknown>) => update('paybridge_messages', set, { id }),
    markEmitted(ids: readonly string[], emittedAt: string): Statement {
      const next = placeholders();
      return {
        sql: `update ${table('paybridge_transitions')} set "emitted_at" = ${next()} where "id" in (${next(ids.length)}) and "emitted_at" is null`,
        parameters: [emittedAt, ...ids],
      };
    },
    postgres: postgresSetStatements(table),
  };
}

export type HotSql = ReturnType<typeof hotSql>;

/**
 * PostgreSQL: the statements one event-loop turn's callers share (postgres-speedups.ts), set-based
 * on arrays, so that one text serves any number of items.
 */
function postgresSetStatements(table: (name: keyof Database) => string) {
  const typed = (index: number, column: string) => `$${index}::${CASTS[column] ?? 'text'}[]`;
  const arraysOf = <T>(
    items: readonly T[],
    columns: readonly string[],
    value: (item: T, column: string) => unknown,
  ) => columns.map((column) => items.map((item) => value(item, column)));
  return {
    insertMessages: (rows: readonly Record<string, unknown>[]): Statement => {
      const columns = Object.keys(rows[0] ?? {});
      return {
        sql: `insert into ${table('paybridge_messages')} (${columnList(columns)}) select * from unnest(${columns.map((column, index) => typed(index + 1, column)).join(', ')})`,
        parameters: arraysOf(rows, columns, (row, column) => row[column]),
      };
    },
    /** Updates of the same columns; returns the ids it found. */
    updateMessages: (
      columns: readonly string[],
      updates: readonly { id: string; set: Record<string, unknown> }[],
    ) => ({
      sql: `update ${table('paybridge_messages')} as m set ${columns.map((c) => `${quoted(c)} = u.${quoted(c)}`).join(', ')} from unnest($1::text[], ${columns.map((column, index) => typed(index + 2, column)).join(', ')}) as u ("id", ${columnList(columns)}) where m."id" = u."id" returning m."id"`,
      parameters: [
        updates.map((update) => update.id),
        ...arraysOf(updates, columns, (update, c) => update.set[c]),
      ],
    }),
    markEmitted: (ids: readonly string[], emittedAt: string): Statement => ({
      sql: `update ${table('paybridge_transitions')} set "emitted_at" = $1 where "id" = any($2::text[]) and "emitted_at" is null`,
      parameters: [emittedAt, ids],
    }),
    selectPayments: (ids: readonly string[]): Statement => ({
      sql: `select * from ${table('paybridge_payments')} where "id" = any($1::text[])`,
      parameters: [ids],
    }),
    /**
     * Payment writes that all set `columns`, in one statement (data-modifying CTEs, autocommit: one
     * transaction): compare-and-set every payment (UPDATE … FROM unnest) → claim the event ids of the
     * payments that matched, without ON CONFLICT (an id claimed before fails the whole statement) →
     * append their transitions, in order. Returns the ids it updated, as `updated`.
     */
    paymentWrites(columns: readonly string[]) {
      let at = 0;
      const next = (column: string) => typed(++at, column);
      const transitionColumns = TRANSITION_COLUMNS;
      const write = `select * from unnest(${next('id')}, ${next('version')}, ${columns.map(next).join(', ')}) as w ("id", "expected_version", ${columnList(columns)})`;
      const claimed = `unnest(${next('event_id')}, ${next('payment_id')}) as c ("event_id", "payment_id")`;
      const claimedAt = `$${++at}::text`;
      const transitions = `unnest(${transitionColumns.map(next).join(', ')}) with ordinality as t (${columnList(transitionColumns)}, "ord")`;
      const sql = [
        `with updated as (update ${table('paybridge_payments')} as p set ${columns.map((c) => `${quoted(c)} = w.${quoted(c)}`).join(', ')}`,
        ` from (${write}) as w where p."id" = w."id" and p."version" = w."expected_version" returning p."id"),`,
        ` claimed as (insert into ${table('paybridge_processed_events')} ("event_id", "payment_id", "claimed_at")`,
        ` select c."event_id", c."payment_id", ${claimedAt} from ${claimed} where c."payment_id" in (select "id" from updated)),`,
        ` inserted as (insert into ${table('paybridge_transitions')} (${columnList(transitionColumns)})`,
        ` select ${transitionColumns.map((c) => `t.${quoted(c)}`).join(', ')} from ${transitions}`,
        ` where t."payment_id" in (select "id" from updated) order by t."ord")`,
        ` select coalesce(array_agg("id"), '{}') as "updated" from updated`,
      ].join('');
      return (writes: readonly PaymentWrite[], claimedAtValue: string): Statement => {
        const rows = writes.flatMap((one) => one.transitions);
        const claims = writes.flatMap((one) =>
          one.eventIds.map((eventId) => [eventId, one.paymentId] as const),
        );
        return {
          sql,
          parameters: [
            writes.map((one) => one.paymentId),
            writes.map((one) => one.version),
            ...arraysOf(writes, columns, (one, column) => one.set[column as keyof PaymentRow]),
            claims.map(([eventId]) => eventId),
            claims.map(([, paymentId]) => paymentId),
            claimedAtValue,
            ...arraysOf(rows, transitionColumns, (row, column) => row[column as keyof TransitionRow]),
          ],
        };
      };
    },
  };
}

/** The columns of a transition row as `transitionToRow` writes them. */
const TRANSITION_COLUMNS: readonly (keyof TransitionRow)[] = [
  'id',
  'payment_id',
  'from_status',
  'to_status',
  'cause',
  'event_id',
  'amount_paid',
  'amount_refunded',
  'at',
  'effects',
  'emitted_at',
  'claimed_until',
];
