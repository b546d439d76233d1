import { CompiledQuery, type QueryResult } from 'kysely';
import { type PaymentRow, rowToPayment } from '../rows';
import type { SqliteEngine } from '../sqlite-engine';
import { applyFast } from './apply-fast';
import { groupCommit } from './group-commit';
import { hotSql, SQLITE_CONTROL } from './hot-sql';
import { type RunStatement, rawQueries } from './raw-queries';
import { readSnapshots } from './read-snapshots';
import type { Speedups } from './speedups';

/**
 * SQLite's speed-ups. Kysely's executor costs several promise turns per statement, more than SQLite
 * takes to run most of ours, and SQLite's cost per commit dominates small transactions. So:
 *
 * - the hot statements (hot-sql.ts) run straight on the connection, prepared once (better-sqlite3
 *   is synchronous, so nothing else runs in between);
 * - write transactions share commits (group-commit.ts);
 * - applyChange writes on what the store last read (apply-fast.ts), in one transaction of the group.
 */
export function sqliteSpeedups(engine: SqliteEngine): Speedups {
  const { db } = engine;
  const sql = hotSql('sqlite', null);
  const live = () => {
    const connection = engine.connection();
    if (!connection) throw new Error('paybridge: the SQLite connection is not open');
    return connection;
  };

  /**
   * Inside a write (a handle other than `db`) the batch holds the connection and the statement is
   * part of its transaction. On `db` only reads, and only while no batch is open: the connection then
   * sees nothing uncommitted. Otherwise Kysely runs it behind its mutex.
   */
  const direct = (handle: unknown, text: string, parameters: unknown[]): QueryResult<unknown> | null => {
    const connection = engine.connection();
    if (!connection?.database.open) return null;
    if (handle === db && connection.database.inTransaction) return null;
    const statement = connection.prepare(text);
    if (statement.reader) return { rows: statement.all(parameters) };
    if (handle === db) return null;
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  };
  const run: RunStatement = <R>(
    handle: typeof db,
    { sql: text, parameters }: { sql: string; parameters: unknown[] },
  ) => {
    let result: QueryResult<unknown> | null;
    try {
      result = direct(handle, text, parameters);
    } catch (error) {
      return Promise.reject(error);
    }
    return result
      ? Promise.resolve(result as QueryResult<R>)
      : handle.executeQuery<R>(CompiledQuery.raw(text, parameters));
  };

  const transaction = groupCommit<typeof db>({
    hold: engine.hold,
    // Prepared once per connection, by the connection's own statement cache.
    control: (statement) => void live().prepare(SQLITE_CONTROL[statement]).run(),
    inTransaction: () => live().database.inTransaction,
  });

  const queries = rawQueries(sql, run);
  const snapshots = readSnapshots(engine.toBool);
  return {
    queries,
    // Write transactions and single writes share one group commit: each is all or nothing, and each
    // is answered only after the COMMIT that made it durable.
    writeTransaction: (fn) => transaction(fn),
    write: (fn) => transaction(fn, { single: true }),
    // A SQLite row is already in `paymentToRow`'s form (its JSON is the text we wrote): kept as read,
    // without serialising the payment again (its extra `seq` column is never read). PostgreSQL hands
    // back parsed JSON shared with the payment object, so it keeps `paymentToRow`'s own.
    handOut: (row) => snapshots.keep(rowToPayment(row), row as PaymentRow),
    remember: (payment, row) => snapshots.keep(payment, row),
    applyChange: (request) =>
      applyFast(engine, snapshots, request, (write) =>
        transaction(async (trx) => {
          if (!(await queries.updatePayment(trx, write.paymentId, write.version, write.set))) return false;
          if (write.eventIds.length > 0)
            await run(trx, sql.claimAllEvents(write.paymentId, write.eventIds, new Date().toISOString()));
          await queries.insertTransitions(trx, write.transitions);
          return true;
        }),
      ),
  };
}
