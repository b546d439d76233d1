import { describe, expect, it } from 'vitest';
import { postbackBody, verifyIpn } from '../src/lib/ipn-postback';
import { encodeIpn, testContext } from './support/fixtures';

const options = {
  url: 'https://ipnpb.sandbox.paypal.com/cgi-bin/webscr',
  userAgent: 'test-agent',
  timeoutMs: 200,
  attempts: 1,
};
const received = encodeIpn([
  ['charset', 'windows-1252'],
  ['last_name', 'Ærøskøbing'],
  ['payer_email', 'a+b@example.com'],
]);

describe('IPN postback', () => {
  it('posts cmd=_notify-validate& and then the received bytes, unmodified', async () => {
    const ctx = testContext([]);
    await verifyIpn(ctx.fetch, received, options);
    const call = ctx.calls[0];
    expect(call?.url).toBe(options.url);
    expect(call?.init.method).toBe('POST');
    expect(new Headers(call?.init.headers).get('user-agent')).toBe('test-agent');
    expect(new Headers(call?.init.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(call?.meta.kind).toBe('ipn-postback');
    const expected = [...new TextEncoder().encode('cmd=_notify-validate&'), ...received];
    expect([...(call?.body ?? [])]).toEqual(expected);
    expect(new TextDecoder().decode(call?.body)).toBe(
      'cmd=_notify-validate&charset=windows-1252&last_name=%C6r%F8sk%F8bing&payer_email=a%2Bb%40example.com',
    );
    expect([...postbackBody(received)]).toEqual(expected);
  });

  it('accepts only exactly VERIFIED or INVALID with a 200', async () => {
    const answer = async (response: () => Response) =>
      (await verifyIpn(testContext([], response).fetch, received, options)).verdict;
    expect(await answer(() => new Response('VERIFIED'))).toBe('VERIFIED');
    expect(await answer(() => new Response('INVALID'))).toBe('INVALID');
    expect(await answer(() => new Response('VERIFIED\n'))).toBe('FAILED');
    expect(await answer(() => new Response('<html>Fatal Failure VERIFIED</html>'))).toBe('FAILED');
    expect(await answer(() => new Response('VERIFIED', { status: 500 }))).toBe('FAILED');
    expect(await answer(() => new Response('INVALID', { status: 400 }))).toBe('FAILED');
  });

  it('turns a network error or a hung postback into a failure, not INVALID', async () => {
    const broken = testContext([], () => {
      throw new TypeError('fetch failed');
    });
    expect(await verifyIpn(broken.fetch, received, options)).toEqual({
      verdict: 'FAILED',
      reason: 'postback failed: fetch failed',
    });
    const hung = testContext([], () => new Promise<Response>(() => {}));
    const result = await verifyIpn(hung.fetch, received, { ...options, timeoutMs: 30 });
    expect(result).toEqual({ verdict: 'FAILED', reason: 'postback timed out after 30 ms' });
  });

  it('retries a transient failure, never an INVALID', async () => {
    let n = 0;
    const flaky = testContext([], () =>
      n++ === 0 ? new Response('Fatal Failure', { status: 503 }) : new Response('VERIFIED'),
    );
    expect((await verifyIpn(flaky.fetch, received, { ...options, attempts: 2 })).verdict).toBe('VERIFIED');
    expect(flaky.calls).toHaveLength(2);
    const invalid = testContext([], () => new Response('INVALID'));
    expect((await verifyIpn(invalid.fetch, received, { ...options, attempts: 3 })).verdict).toBe('INVALID');
    expect(invalid.calls).toHaveLength(1);
  });
});
