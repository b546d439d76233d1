import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema';

/**
 * Runs a statement's known SQL text on the engine's own connection, bypassing Kysely's executor,
 * when `db` allows it right now; `null` when it does not (the statement then goes through Kysely).
 */
export type DirectRunner = (
  db: Kysely<Database>,
  sql: string,
  parameters: readonly unknown[],
) => QueryResult<unknown> | null;

/**
 * The SQL text of the store's hot statements, compiled by Kysely once per shape and then run with
 * fresh parameters. Building and compiling a 26-column UPDATE costs more than SQLite takes to run
 * it; the text of one shape (same table, same columns, same number of rows) never changes.
 *
 * Safe by construction: the first time a shape is seen, the query is compiled for real and its
 * parameters compared with the ones the caller derived. Only when they are identical, value for
 * value, is the text kept; otherwise (a value Kysely would inline or drop) that shape is never
 * cached and every call runs the freshly compiled query. A wrong derivation can cost speed, never
 * correctness.
 *
 * On SQLite a known text then runs straight on the connection (`DirectRunner`): Kysely's executor
 * costs several promise turns per statement, more than SQLite takes to run most of ours.
 */
export class CompiledStatements {
  private readonly texts = new Map<string, string | null>();
  /** Shapes seen, and shapes whose derived parameters did not match (never cached). */
  readonly stats = { hits: 0, compiled: 0, mismatched: 0, direct: 0 };

  /**
   * @param direct the engine's own runner for known texts (SQLite: a cached prepared statement,
   *   synchronously); without one, every statement goes through Kysely.
   * @param maxShapes shapes beyond this many are run without keeping their text (a bound on memory).
   */
  constructor(
    private readonly direct: DirectRunner | null = null,
    private readonly maxShapes = 512,
  ) {}

  /**
   * Runs the statement of shape `shape` with `parameters` on `db` (a transaction or the pool).
   * `build` must produce the same query for the same shape, with exactly `parameters`.
   */
  execute<R>(
    db: Kysely<Database>,
    shape: string,
    parameters: readonly unknown[],
    build: () => Compilable<R>,
  ): Promise<QueryResult<R>> {
    const text = this.texts.get(shape);
    // Kysely leaves out a column whose value is undefined: that call is another shape, compiled afresh.
    if (typeof text === 'string' && !parameters.includes(undefined)) {
      this.stats.hits++;
      if (this.direct) {
        let result: QueryResult<unknown> | null;
        try {
          result = this.direct(db, text, parameters);
        } catch (error) {
          return Promise.reject(error);
        }
        if (result) {
          this.stats.direct++;
          return Promise.resolve(result as QueryResult<R>);
        }
      }
      return db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
    }
    const compiled = build().compile();
    if (text === undefined && !parameters.includes(undefined) && this.texts.size < this.maxShapes) {
      this.stats.compiled++;
      const same =
        compiled.parameters.length === parameters.length &&
        compiled.parameters.every((value, index) => Object.is(value, parameters[index]));
      if (!same) this.stats.mismatched++;
      this.texts.set(shape, same ? compiled.sql : null);
    }
    return db.executeQuery<R>(compiled);
  }
}
