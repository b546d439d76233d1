import { describe, expect, it } from 'vitest';
import { ipnRetryDelays } from '../../src/paypal/faults';
import {
  newAccountId,
  newIpnTrackId,
  newSessionId,
  newSubscrId,
  newTxnId,
  newVerifySign,
  paypalDate,
} from '../../src/paypal/ids';
import { decodePairs, encodeForm, normalizeCharset, parseFormBytes } from '../../src/paypal/ipn-encoding';

const ascii = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

describe('IPN form encoding', () => {
  it('escapes like live IPNs: + for space, %XX for : , @', () => {
    const body = encodeForm(
      [
        ['payment_date', '20:12:59 Jan 13, 2009 PST'],
        ['payer_email', 'a+b@example.com'],
      ],
      'windows-1252',
    );
    expect(ascii(body)).toBe('payment_date=20%3A12%3A59+Jan+13%2C+2009+PST&payer_email=a%2Bb%40example.com');
  });

  it('writes non-ASCII names as windows-1252 or UTF-8 bytes behind %XX', () => {
    const name: Array<[string, string]> = [['last_name', 'Zoë Ærøskøbing']];
    expect(ascii(encodeForm(name, 'windows-1252'))).toBe('last_name=Zo%EB+%C6r%F8sk%F8bing');
    expect(ascii(encodeForm(name, 'UTF-8'))).toBe('last_name=Zo%C3%AB+%C3%86r%C3%B8sk%C3%B8bing');
  });

  it('parses + and %20 both as space and keeps raw high bytes', () => {
    const pairs = parseFormBytes(
      Uint8Array.from([...new TextEncoder().encode('a=x+y%20z&b=J'), 0xf6, 0x72, 0x67]),
    );
    expect(decodePairs(pairs, 'windows-1252')).toEqual([
      ['a', 'x y z'],
      ['b', 'Jörg'],
    ]);
  });

  it('keeps an empty value and a name without =', () => {
    expect(decodePairs(parseFormBytes(new TextEncoder().encode('payment_fee=&flag')), 'UTF-8')).toEqual([
      ['payment_fee', ''],
      ['flag', ''],
    ]);
  });

  it('knows the charset labels PayPal uses', () => {
    expect(normalizeCharset('UTF-8')).toBe('UTF-8');
    expect(normalizeCharset('windows-1252')).toBe('windows-1252');
    expect(normalizeCharset('koi8-r')).toBeNull();
  });
});

describe('ids and dates', () => {
  it('have PayPal shapes', () => {
    expect(newTxnId()).toMatch(/^[0-9A-Z]{17}$/);
    expect(newAccountId()).toMatch(/^[0-9A-Z]{13}$/);
    expect(newSubscrId()).toMatch(/^I-[0-9A-Z]{12}$/);
    expect(newIpnTrackId()).toMatch(/^[0-9a-f]{13}$/);
    expect(newVerifySign()).toMatch(/^[A-Za-z0-9._-]{56}$/);
    expect(newSessionId()).not.toBe(newSessionId());
  });

  it('writes payment_date in US/Pacific with PST or PDT', () => {
    expect(paypalDate(Date.UTC(2009, 0, 14, 4, 12, 59))).toBe('20:12:59 Jan 13, 2009 PST');
    expect(paypalDate(Date.UTC(2026, 6, 1, 7, 5, 0))).toBe('00:05:00 Jul 01, 2026 PDT');
  });
});

describe('IPN retry schedule', () => {
  it('doubles from 10 s, caps at 24 h and stops within 4 days', () => {
    const delays = ipnRetryDelays();
    expect(delays.slice(0, 4)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(Math.max(...delays)).toBe(24 * 3600 * 1000);
    const total = delays.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeLessThanOrEqual(4 * 24 * 3600 * 1000);
    expect(total + 24 * 3600 * 1000).toBeGreaterThan(4 * 24 * 3600 * 1000);
    expect(delays).toHaveLength(16);
  });
});
