import { describe, expect, it } from 'vitest';
import { withOwnHeaders } from '../src/lib/responses';

describe('withOwnHeaders', () => {
  it('copies a plain record and never writes into the shared one', async () => {
    const shared = { 'content-type': 'text/plain' };
    const response = withOwnHeaders({ status: 200, headers: shared, body: 'OK' });
    response.headers.set('content-length', '2');
    expect(shared).toEqual({ 'content-type': 'text/plain' });
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('OK');
  });

  it('keeps every value of a name a list of pairs repeats, and copies a Headers object', () => {
    const pairs: [string, string][] = [
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ];
    expect(withOwnHeaders({ status: 200, headers: pairs }).headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const source = new Response('page', { status: 202, statusText: 'Accepted', headers: { 'x-a': '1' } });
    const copy = withOwnHeaders(source);
    copy.headers.set('x-b', '2');
    expect(source.headers.has('x-b')).toBe(false);
    expect([copy.status, copy.statusText, copy.headers.get('x-a')]).toEqual([202, 'Accepted', '1']);
  });

  it('answers without headers when none are given', () => {
    expect([...withOwnHeaders({ status: 204 }).headers]).toEqual([]);
  });
});
