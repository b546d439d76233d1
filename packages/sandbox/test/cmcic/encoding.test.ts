import { describe, expect, it } from 'vitest';
import {
  bankEncode,
  decodeForm,
  escapeHtml,
  parseDay,
  parseRequestDate,
  returnDate,
} from '../../src/cmcic/encoding';

describe('bankEncode (reference §4.1)', () => {
  it('encodes like the doc v3.0 sample and decodes back with a standard form parser', () => {
    const fields: Array<[string, string]> = [
      ['TPE', '1234567'],
      ['date', '05/12/2006_a_11:55:23'],
      ['montant', '62.75EUR'],
      ['texte-libre', 'a b,c*d-e'],
      ['ipclient', '127.0.0.1'],
      ['veres', ''],
    ];
    const body = bankEncode(fields);
    expect(body).toBe(
      'TPE=1234567&date=05%2f12%2f2006%5fa%5f11%3a55%3a23&montant=62%2e75EUR&texte-libre=a+b%2cc*d-e&ipclient=127%2e0%2e0%2e1&veres=',
    );
    expect(decodeForm(body).fields).toEqual(Object.fromEntries(fields));
  });
});

describe('decodeForm', () => {
  it('keeps empty values and reports duplicates', () => {
    expect(decodeForm('a=&b=1&a=2')).toEqual({ fields: { a: '', b: '1' }, duplicates: ['a'] });
  });
});

describe('dates', () => {
  it('formats the return date in the bank time zone', () => {
    // 12:00 UTC in January is 13:00 in Paris.
    expect(returnDate(Date.UTC(2026, 0, 15, 12, 0, 5), 'Europe/Paris')).toBe('15/01/2026_a_13:00:05');
  });

  it('parses request dates strictly', () => {
    expect(parseRequestDate('05/12/2006:11:55:23')).toBe(Date.UTC(2006, 11, 5, 11, 55, 23));
    expect(parseRequestDate('31/02/2006:11:55:23')).toBeNull();
    expect(parseRequestDate('05/12/2006 11:55:23')).toBeNull();
    expect(parseDay('29/02/2012')).toEqual({ day: 29, month: 2, year: 2012 });
    expect(parseDay('29/02/2011')).toBeNull();
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });
});
