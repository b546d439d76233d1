import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { literalLimit, pageSize } from '../src/lib/paging';
import { sqliteEngine } from '../src/lib/sqlite-engine';

describe('paging', () => {
  it('clamps page sizes as memoryStore does', () => {
    expect([pageSize(undefined), pageSize(0), pageSize(7.9), pageSize(10_000)]).toEqual([50, 1, 7, 500]);
  });

  it('writes a row limit into the SQL text, and only a whole number of rows', async () => {
    const engine = sqliteEngine({ filename: ':memory:', busyTimeoutMs: 1000 });
    try {
      const query = engine.db
        .selectFrom('paybridge_payments')
        .selectAll()
        .where('order_id', '=', 'o-1')
        .orderBy('created_at', 'desc')
        .limit(literalLimit(51))
        .compile();
      expect(query.sql).toMatch(/ limit 51$/);
      expect(query.parameters).toEqual(['o-1']);
      await sql`select 1`.execute(engine.db);
    } finally {
      await engine.close();
    }
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) expect(() => literalLimit(bad)).toThrow(TypeError);
  });
});
