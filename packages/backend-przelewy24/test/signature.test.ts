import { describe, expect, it } from 'vitest';
import { p24Sign, signMatches, signString } from '../src/index';

// Vectors of the protocol reference §2 and §12 (P24's documentation values and mnastalski's tests).
describe('Przelewy24 sign', () => {
  it('register: P24 documentation example', async () => {
    const values = { sessionId: 'unique-session-id', merchantId: 999999, amount: 1234, currency: 'PLN' };
    expect(signString('register', values, 'crc-z-panelu-p24')).toBe(
      '{"sessionId":"unique-session-id","merchantId":999999,"amount":1234,"currency":"PLN","crc":"crc-z-panelu-p24"}',
    );
    expect(await p24Sign('register', values, 'crc-z-panelu-p24')).toBe(
      'b27f9adce99faee87750d350e24fab781f734fd80af7bdcff7063dab3fcebbf5f051b264a9b547e611e8e6af7b377cfa',
    );
  });

  it('verify: P24 documentation example (orderId in second place)', async () => {
    const values = { sessionId: 'unique-session-id', orderId: 999999, amount: 1234, currency: 'PLN' };
    expect(await p24Sign('verify', values, 'crc-z-panelu-p24')).toBe(
      'f2fb32b982d0a503d6a007ad2429c8e881cb562d787f9d7f3a42e161be4036936045f9aee21c52407db838e578cb2100',
    );
    // The register sign of the same values is another string: the two are never interchangeable.
    expect(await p24Sign('register', { ...values, merchantId: 999999 }, 'crc-z-panelu-p24')).not.toBe(
      await p24Sign('verify', values, 'crc-z-panelu-p24'),
    );
  });

  const notification = {
    merchantId: 12345,
    posId: 123,
    sessionId: '0beec7',
    amount: 1500,
    originAmount: 1500,
    currency: 'PLN',
    orderId: 123456789,
    methodId: 32,
    statement: 'p24-XXX-YYY-ZZZ',
  };
  const NOTIFICATION_SIGN =
    '703e946290d92230297c35d3bc8f554d4a458a4c97c9917665929c5ef5e682f7a868ac36e5dff20184c6a5302ef66c77';

  it('notification: mnastalski/przelewy24-php vector', async () => {
    expect(await p24Sign('notification', notification, 'bar')).toBe(NOTIFICATION_SIGN);
    expect(await signMatches('notification', notification, 'bar', NOTIFICATION_SIGN)).toBe(true);
    expect(await signMatches('notification', notification, 'bar', NOTIFICATION_SIGN.toUpperCase())).toBe(
      true,
    );
  });

  it('a quoted integer, another key or another order of values changes the sign', async () => {
    expect(
      await signMatches('notification', { ...notification, merchantId: '12345' }, 'bar', NOTIFICATION_SIGN),
    ).toBe(false);
    expect(await signMatches('notification', notification, 'baz', NOTIFICATION_SIGN)).toBe(false);
    expect(
      await signMatches('notification', { ...notification, amount: 1501 }, 'bar', NOTIFICATION_SIGN),
    ).toBe(false);
  });

  it('slashes and non-ASCII are not escaped (JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)', () => {
    const text = signString(
      'register',
      { sessionId: 'zamówienie/ąźćż', merchantId: 1, amount: 100, currency: 'PLN' },
      'k',
    );
    expect(text).toBe(
      '{"sessionId":"zamówienie/ąźćż","merchantId":1,"amount":100,"currency":"PLN","crc":"k"}',
    );
    expect(text).not.toContain('\\/');
    expect(text).not.toContain('\\u');
  });

  it('never signs a float or a missing field', () => {
    expect(() =>
      signString('register', { sessionId: 's', merchantId: 1, amount: 12.5, currency: 'PLN' }, 'k'),
    ).toThrow(/integer/);
    expect(() =>
      signString('register', { sessionId: 's', merchantId: 1, currency: 'PLN' } as never, 'k'),
    ).toThrow(/amount/);
  });
});
