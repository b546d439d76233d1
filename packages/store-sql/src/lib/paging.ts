import { type Page, PaybridgeError } from '@paybridge/core';
import { type RawBuilder, sql } from 'kysely';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Same clamping as core's memoryStore: at least 1, at most 500, 50 when absent. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.floor(limit), 1), MAX_PAGE_SIZE);
}

/**
 * A row limit written into the SQL as a literal. SQLite plans `ORDER BY … LIMIT ?` with a sorter
 * that costs several times the query itself (`LIMIT 50` lets it stop early); the value is always an
 * integer we computed, never caller text.
 */
export function literalLimit(rows: number): RawBuilder<number> {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new TypeError(`not a row limit: ${rows}`);
  return sql.lit(rows);
}

/** Cursors are opaque to callers: the sort key of the last row of the page, base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  shape: readonly ('string' | 'number')[],
): unknown[] | null {
  if (cursor === undefined || cursor === '') return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    key = null;
  }
  const valid =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((part, index) =>
      shape[index] === 'number' ? Number.isSafeInteger(part) : typeof part === 'string',
    );
  if (!valid) throw new PaybridgeError('BAD_REQUEST', 'Invalid page cursor');
  return key as unknown[];
}

/**
 * A page of `limit` items out of `rows` (read with one row more than the page: its presence says a
 * next page exists), with the cursor after its last row.
 */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  item: (row: R) => T,
  cursorKey: (row: R) => (string | number)[],
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(item),
    nextCursor: rows.length > limit && last ? encodeCursor(cursorKey(last)) : null,
  };
}
