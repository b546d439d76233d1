import { describe, expect, it } from 'vitest';
import { parseFraudScreening } from './fraud';

describe('parseFraudScreening', () => {
  it('pairs causes with values and names them (sample 4-/FRA-)', () => {
    const screening = parseFraudScreening({ filtragecause: '4-', filtragevaleur: 'FRA-' });
    expect(screening).toEqual({
      mode: 'blocked',
      hits: [{ code: 4, cause: 'card_country', meaning: 'card country blocked', value: 'FRA' }],
      raw: { filtragecause: '4-', filtragevaleur: 'FRA-', filtrage_etat: null },
    });
  });

  it('splits the two countries of filter 6 and reports information mode', () => {
    const screening = parseFraudScreening({
      filtragecause: '6-1-',
      filtragevaleur: 'FRA#DEU-10.0.0.1-',
      filtrage_etat: 'information',
    });
    expect(screening?.mode).toBe('information');
    expect(screening?.hits[0]).toMatchObject({
      code: 6,
      cause: 'card_ip_country_mismatch',
      cardCountry: 'FRA',
      ipCountry: 'DEU',
    });
    expect(screening?.hits[1]).toMatchObject({ code: 1, cause: 'ip_address', value: '10.0.0.1' });
  });

  it('keeps unknown codes and does not pair ambiguous values', () => {
    const screening = parseFraudScreening({ filtragecause: '7-99-', filtragevaleur: 'my-mail.example-x-' });
    expect(screening?.hits.map((hit) => [hit.code, hit.cause, hit.value])).toEqual([
      [7, 'disposable_email', null],
      [99, 'unknown', null],
    ]);
    expect(screening?.raw.filtragevaleur).toBe('my-mail.example-x-');
  });

  it('is null without fraud fields', () => {
    expect(parseFraudScreening({ reference: 'x' })).toBeNull();
  });
});
