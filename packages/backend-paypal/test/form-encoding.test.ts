import { describe, expect, it } from 'vitest';
import { decodeForm, FormDecodingError, percentDecodeBytes } from '../src/lib/form-encoding';
import { encodeIpn } from './support/fixtures';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('IPN form decoding', () => {
  it('decodes windows-1252 escapes by the message charset, not as UTF-8', () => {
    const form = decodeForm(ascii('first_name=Zo%EB&last_name=%C6r%F8sk%F8bing&charset=windows-1252'));
    expect(form.pairs).toEqual([
      ['first_name', 'Zoë'],
      ['last_name', 'Ærøskøbing'],
      ['charset', 'windows-1252'],
    ]);
    expect(form.charsetDeclared).toBe(true);
  });

  it('decodes UTF-8 when the message says so', () => {
    const form = decodeForm(ascii('charset=UTF-8&last_name=%C3%86r%C3%B8sk%C3%B8bing'));
    expect(form.pairs[1]).toEqual(['last_name', 'Ærøskøbing']);
    expect(form.charset).toBe('UTF-8');
  });

  it('assumes windows-1252 when charset is missing (PayPal’s IPN simulator)', () => {
    const form = decodeForm(ascii('first_name=J%F6rg'));
    expect(form.pairs).toEqual([['first_name', 'Jörg']]);
    expect(form.charsetDeclared).toBe(false);
    expect(form.charset).toBe('windows-1252');
  });

  it('reads windows-1252 specials (0x80–0x9F) as their characters', () => {
    expect(decodeForm(ascii('memo=%80+%93ok%94')).pairs).toEqual([['memo', '€ “ok”']]);
  });

  it('keeps a literal plus escaped as %2B apart from a + meaning space', () => {
    const form = decodeForm(
      ascii('payer_email=a%2Bb%40x.example&payment_date=20%3A12%3A59+Jan+13%2C+2009+PST'),
    );
    expect(form.pairs).toEqual([
      ['payer_email', 'a+b@x.example'],
      ['payment_date', '20:12:59 Jan 13, 2009 PST'],
    ]);
  });

  it('keeps duplicate keys, order, empty values and a stray %', () => {
    const form = decodeForm(ascii('a=1&&b=&a=2&c=50%&d'));
    expect(form.pairs).toEqual([
      ['a', '1'],
      ['b', ''],
      ['a', '2'],
      ['c', '50%'],
      ['d', ''],
    ]);
  });

  it('handles raw high bytes that were never escaped (django-paypal#153)', () => {
    const body = new Uint8Array([...ascii('first_name=Zo'), 0xeb]);
    expect(decodeForm(body).pairs).toEqual([['first_name', 'Zoë']]);
  });

  it('refuses a charset no runtime knows', () => {
    expect(() => decodeForm(ascii('charset=x-klingon&a=1'))).toThrow(FormDecodingError);
  });

  it('percent-decodes to bytes before any text decoding', () => {
    expect([...percentDecodeBytes(ascii('%EB+%c3%a9'))]).toEqual([0xeb, 0x20, 0xc3, 0xa9]);
  });

  it('round-trips what the fixture encoder writes in both charsets', () => {
    for (const charset of ['windows-1252', 'UTF-8']) {
      const pairs: Array<[string, string]> = [
        ['charset', charset],
        ['address_name', 'Zoë Ærøskøbing'],
        ['memo', '1+1 = 2, “€”'],
      ];
      expect(decodeForm(encodeIpn(pairs)).pairs).toEqual(pairs);
    }
    // windows-1252 is one byte per character, escaped: the body stays ASCII.
    expect(new TextDecoder().decode(encodeIpn([['n', 'ë']]))).toBe('n=%EB');
  });
});

describe('windows-1252', () => {
  it('maps every byte like the WHATWG table (0x80 is €, 0x9F is Ÿ, 0x81 stays a C1 control)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, byte) => byte);
    const text = decodeForm(
      new TextEncoder().encode(`x=${[...all].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`),
    ).pairs[0]?.[1];
    expect(text?.length).toBe(256);
    expect(text?.[0x80]).toBe('€');
    expect(text?.[0x9f]).toBe('Ÿ');
    expect(text?.[0x81]).toBe('\u0081');
    expect(text?.[0xe9]).toBe('é');
    expect(text?.[0x41]).toBe('A');
  });
});
