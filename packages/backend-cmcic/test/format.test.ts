import { describe, expect, it } from 'vitest';
import {
  aliasFor,
  decodeTexteLibre,
  encodeTexteLibre,
  formatMontant,
  formatRequestDate,
  isSafeValue,
  parseMontant,
  referenceFor,
} from '../src/lib/format';

describe('montant', () => {
  it('writes minor units with the currency glued on', () => {
    expect(formatMontant(1999, 'EUR')).toBe('19.99EUR');
    expect(formatMontant(5, 'EUR')).toBe('0.05EUR');
    expect(formatMontant(1000, 'JPY')).toBe('1000JPY');
  });

  it('parses every documented form back exactly', () => {
    expect(parseMontant('62.73EUR')).toEqual({ amount: 6273, currency: 'EUR' });
    expect(parseMontant('15.5EUR')).toEqual({ amount: 1550, currency: 'EUR' });
    expect(parseMontant('10GBP')).toEqual({ amount: 1000, currency: 'GBP' });
    expect(parseMontant('19,99EUR')).toBeNull();
    expect(parseMontant('19.99 EUR')).toBeNull();
    expect(parseMontant('19.999EUR')).toBeNull();
  });
});

describe('texte-libre', () => {
  it('keeps printable ASCII and percent-encodes the rest (and %)', () => {
    const encoded = encodeTexteLibre('Commande n°42 — 100%\r\nmerci');
    expect(isSafeValue(encoded, 3200)).toBe(true);
    expect(encoded).toBe('Commande n%C2%B042 %E2%80%94 100%25%0D%0Amerci');
    expect(decodeTexteLibre(encoded)).toBe('Commande n°42 — 100%\r\nmerci');
  });

  it('stays within 3200 characters without cutting an escape', () => {
    const encoded = encodeTexteLibre(`${'a'.repeat(3198)}é`);
    expect(encoded).toBe('a'.repeat(3198));
  });
});

describe('date', () => {
  it('is DD/MM/YYYY:HH:MM:SS in the bank time zone', () => {
    expect(formatRequestDate(new Date('2024-07-01T22:05:09Z'), 'Europe/Paris')).toBe('02/07/2024:00:05:09');
    expect(formatRequestDate(new Date('2024-01-15T10:00:00Z'), 'Europe/Paris')).toBe('15/01/2024:11:00:00');
  });

  it('answers each second and zone for itself (the last one is reused only within its second)', () => {
    const at = (iso: string, zone: string) => formatRequestDate(new Date(iso), zone);
    expect(at('2024-01-15T10:00:00.100Z', 'Europe/Paris')).toBe('15/01/2024:11:00:00');
    expect(at('2024-01-15T10:00:00.900Z', 'Europe/Paris')).toBe('15/01/2024:11:00:00');
    expect(at('2024-01-15T10:00:00.900Z', 'America/Martinique')).toBe('15/01/2024:06:00:00');
    expect(at('2024-01-15T10:00:01.000Z', 'Europe/Paris')).toBe('15/01/2024:11:00:01');
    expect(at('2024-01-15T09:59:59.999Z', 'Europe/Paris')).toBe('15/01/2024:10:59:59');
  });
});

describe('reference', () => {
  it('is alphanumeric, within the limit, stable and distinct per payment', async () => {
    const a = await referenceFor('pay_0123456789abcdefghjkmnpqrs', 12);
    const b = await referenceFor('pay_0123456789abcdefghjkmnpqrt', 12);
    expect(a).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(b).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(a).not.toBe(b);
    expect(await referenceFor('pay_0123456789abcdefghjkmnpqrs', 12)).toBe(a);
    expect(await referenceFor('order77', 12)).toBe('order77');
    // Ids differing only by punctuation must not share a reference (the bank refuses a reused one).
    const dashed = await referenceFor('order-77', 12);
    const underscored = await referenceFor('order_77', 12);
    expect(dashed).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(new Set([dashed, underscored, 'order77']).size).toBe(3);
    const long = await referenceFor('pay_0123456789abcdefghjkmnpqrs', 50);
    expect(long).toMatch(/^[A-Za-z0-9]{50}$/);
    expect(long.slice(0, 12)).toBe(a);
  });
});

describe('express payment alias', () => {
  it('uses a valid customer id as is and hashes any other', async () => {
    expect(await aliasFor('client1')).toBe('client1');
    const hashed = await aliasFor('alice@example.com');
    expect(hashed).toMatch(/^[A-Za-z0-9]{1,64}$/);
    expect(await aliasFor('alice@example.com')).toBe(hashed);
    expect(await aliasFor('bob@example.com')).not.toBe(hashed);
  });
});
