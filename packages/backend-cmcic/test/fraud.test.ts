import { describe, expect, it } from 'vitest';
import { parseFraudScreening } from '../src/lib/fraud';

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

  it('gives the dashes left over to the one e-mail domain (filter 7) and keeps unknown codes', () => {
    const screening = parseFraudScreening({
      filtragecause: '1-7-99-',
      filtragevaleur: '10.0.0.1-my-mail.example-x-',
    });
    expect(screening?.hits.map((hit) => [hit.code, hit.cause, hit.value])).toEqual([
      [1, 'ip_address', '10.0.0.1'],
      [7, 'disposable_email', 'my-mail.example'],
      [99, 'unknown', 'x'],
    ]);
    expect(screening?.hits[2]?.meaning).toBe('unknown filter 99');
    expect(screening?.raw.filtragevaleur).toBe('10.0.0.1-my-mail.example-x-');
  });

  it('does not guess when values cannot be paired', () => {
    const missing = parseFraudScreening({ filtragecause: '4-5-', filtragevaleur: 'FRA-' });
    expect(missing?.hits.map((hit) => hit.value)).toEqual([null, null]);
    const extra = parseFraudScreening({ filtragecause: '13-14-', filtragevaleur: '120-3-9-' });
    expect(extra?.hits.map((hit) => hit.value)).toEqual([null, null]);
    const garbage = parseFraudScreening({ filtragecause: 'x-', filtragevaleur: 'y-' });
    expect(garbage?.hits[0]).toMatchObject({ code: -1, cause: 'unknown' });
  });

  it('is null without fraud fields', () => {
    expect(parseFraudScreening({ reference: 'x' })).toBeNull();
  });
});
