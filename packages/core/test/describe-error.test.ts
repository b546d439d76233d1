import { describe, expect, it } from 'vitest';
import { PaybridgeError } from '../src/errors';
import { describeError } from '../src/lib/describe-error';

describe('describeError', () => {
  it("gives a store failure's code, message and the driver's cause with its code", () => {
    const driver = Object.assign(new Error('unable to open database file'), {
      name: 'SqliteError',
      code: 'SQLITE_CANTOPEN',
    });
    const failure = new PaybridgeError('STORE_UNAVAILABLE', 'The sqlite store failed during getPayment', {
      cause: driver,
    });
    expect(describeError(failure)).toBe(
      'STORE_UNAVAILABLE: The sqlite store failed during getPayment (cause: SqliteError: unable to open database file [SQLITE_CANTOPEN])',
    );
  });

  it('follows a few causes, and describes anything thrown', () => {
    const deep = new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: 'd' }) }) });
    expect(describeError(deep)).toBe('Error: a (cause: Error: b) (cause: Error: c) (cause: d)');
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(describeError(loop).match(/cause/g)).toHaveLength(3);
    expect(describeError('plain')).toBe('plain');
  });
});
