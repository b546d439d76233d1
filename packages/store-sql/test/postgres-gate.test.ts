import { describe, expect, it } from 'vitest';
import { postgresGate } from './support/postgres';

describe('the PostgreSQL test gate', () => {
  it('runs with DATABASE_URL, in CI or not', () => {
    expect(postgresGate({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })).toBe('run');
    expect(postgresGate({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', CI: 'true' })).toBe('run');
  });

  it('skips without DATABASE_URL outside CI', () => {
    expect(postgresGate({})).toBe('skip');
    expect(postgresGate({ DATABASE_URL: '', CI: 'false' })).toBe('skip');
  });

  it('fails without DATABASE_URL under CI=true', () => {
    expect(() => postgresGate({ CI: 'true' })).toThrow(/DATABASE_URL is not set/);
    expect(() => postgresGate({ CI: 'true', DATABASE_URL: '' })).toThrow(/must run under CI/);
  });
});
