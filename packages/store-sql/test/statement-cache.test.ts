import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../src/lib/sqlite-connection';

function counted() {
  const database = new Database(':memory:');
  database.exec('create table t (id integer primary key, v text)');
  database.exec("insert into t (v) values ('a'), ('b'), ('c')");
  let prepared = 0;
  const prepare = database.prepare.bind(database);
  database.prepare = ((source: string) => {
    prepared++;
    return prepare(source);
  }) as typeof database.prepare;
  return { database, prepared: () => prepared };
}

describe('withStatementCache', () => {
  it('prepares a statement once and reuses it for the same SQL', () => {
    const { database, prepared } = counted();
    const cached = withStatementCache(database);
    for (let i = 0; i < 5; i++)
      expect(cached.prepare('select v from t where id = ?').get(1)).toEqual({ v: 'a' });
    expect(prepared()).toBe(1);
  });

  it('never hands out a statement that an open iterator still holds', () => {
    const { database } = counted();
    const cached = withStatementCache(database);
    const iterator = cached.prepare('select v from t order by id').iterate();
    expect(iterator.next().value).toEqual({ v: 'a' });
    // The same SQL while the first iteration is open: a fresh statement, both readable.
    expect(cached.prepare('select v from t order by id').all()).toHaveLength(3);
    expect(iterator.next().value).toEqual({ v: 'b' });
    iterator.return?.();
  });

  it('keeps at most its size, evicting the least recently used', () => {
    const { database, prepared } = counted();
    const cached = withStatementCache(database, 2);
    cached.prepare('select 1');
    cached.prepare('select 2');
    cached.prepare('select 1');
    cached.prepare('select 3'); // evicts "select 2"
    cached.prepare('select 1');
    expect(prepared()).toBe(3);
    cached.prepare('select 2');
    expect(prepared()).toBe(4);
  });
});
