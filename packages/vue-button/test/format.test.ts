import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, safeLocale } from '../src/lib/format';
import { labelsFor, resolveLanguage } from '../src/lib/labels';

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('uses the currency’s minor unit', () => {
    expect(currencyExponent('eur')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(formatMoney(1999, 'EUR', 'en')).toBe('€19.99');
    expect(formatMoney(1999, 'JPY', 'en')).toBe('¥1,999');
    expect(plain(formatMoney(1234, 'KWD', 'en'))).toBe('KWD 1.234');
    expect(plain(formatMoney(5, 'PLN', 'pl'))).toBe('0,05 zł');
  });

  it('prints large amounts exactly (no float division)', () => {
    expect(formatMoney(9_007_199_254_740_991, 'EUR', 'en')).toBe('€90,071,992,547,409.91');
  });
});

describe('safeLocale', () => {
  it('turns what shops store into a tag Intl accepts, else English', () => {
    expect(safeLocale('pl_PL')).toBe('pl-PL');
    expect(safeLocale('fr-ca')).toBe('fr-CA');
    expect(safeLocale(' en ')).toBe('en');
    expect(safeLocale('')).toBe('en');
    expect(safeLocale(undefined)).toBe('en');
    expect(safeLocale('not a tag!')).toBe('en');
  });
});

describe('labels', () => {
  it('picks the language from a locale tag and falls back to English', () => {
    expect(resolveLanguage('fr-CA')).toBe('fr');
    expect(resolveLanguage('pl_PL')).toBe('pl');
    expect(resolveLanguage('de')).toBe('en');
    expect(resolveLanguage(undefined)).toBe('en');
    expect(labelsFor('de', { pay: 'Bezahlen' }).pay).toBe('Bezahlen');
  });

  it('describes recurrences with each language’s plural forms', () => {
    const month = (every: number, cycles?: number) => ({ interval: 'month' as const, every, cycles });
    const en = labelsFor('en').recurrence;
    const fr = labelsFor('fr').recurrence;
    const pl = labelsFor('pl').recurrence;
    expect(en(month(1))).toBe('every month');
    expect(en(month(6, 2))).toBe('every 6 months, 2 payments');
    expect(fr(month(1, 12))).toBe('tous les mois, 12 paiements');
    expect(fr({ interval: 'week', every: 2 })).toBe('toutes les 2 semaines');
    expect(pl(month(1))).toBe('co miesiąc');
    expect(pl(month(3))).toBe('co 3 miesiące');
    expect(pl(month(5))).toBe('co 5 miesięcy');
    expect(pl(month(22))).toBe('co 22 miesiące');
    expect(pl({ interval: 'year', every: 2 })).toBe('co 2 lata');
  });
});
