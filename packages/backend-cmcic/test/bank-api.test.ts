import { describe, expect, it } from 'vitest';
import { bankMacSource, bankOutcome, parseBankAnswer, sealBankRequest } from '../src/lib/bank-api';
import { cmcicKey } from '../src/lib/key';
import { KEY } from './support/fixtures';

// Self-computed vectors of protocols/cmcic-api.md §3.2 and §5 (P0 placeholder key).
const CAPTURE = {
  TPE: '1234567',
  date: '05/12/2006:11:55:23',
  date_commande: '03/12/2006',
  montant: '100.00EUR',
  montant_a_capturer: '62.00EUR',
  montant_deja_capture: '0EUR',
  montant_restant: '38.00EUR',
  reference: 'ABERTYP00145',
  'texte-libre': 'ExempleTexteLibre',
  lgue: 'FR',
  societe: 'monSite1',
  version: '3.0',
};
const REFUND = {
  TPE: '1234567',
  date: '05/12/2006:11:55:23',
  date_commande: '03/12/2006',
  date_remise: '04/12/2006',
  num_autorisation: '1234A6',
  montant: '100.00EUR',
  montant_recredit: '32.00EUR',
  montant_possible: '100.00EUR',
  reference: 'ABERTYP00145',
  'texte-libre': 'ExempleTexteLibre',
  lgue: 'FR',
  societe: 'monSite1',
  version: '3.0',
};

describe('bank API seals (cmcic-api.md vectors)', () => {
  const key = cmcicKey(KEY);
  const mac = async (
    ...args: Parameters<typeof sealBankRequest> extends [infer C, unknown, infer S, infer F]
      ? [C, S, F]
      : never
  ) => (await sealBankRequest(args[0], key, args[1], args[2])).MAC;

  it('C1–C3: legacy capture, full capture and cancel glue the amounts and end with *', async () => {
    expect(bankMacSource('capture', CAPTURE, 'legacy')).toBe(
      '1234567*05/12/2006:11:55:23*62.00EUR0EUR38.00EUR*ABERTYP00145*ExempleTexteLibre*3.0*FR*monSite1*',
    );
    expect(await mac('capture', 'legacy', CAPTURE)).toBe('49570d7b6f9e21ed53170074f6b91ce19e111350');
    const full = { ...CAPTURE, montant_a_capturer: '100.00EUR', montant_restant: '0EUR' };
    expect(await mac('capture', 'legacy', full)).toBe('8823818d2b91a991146b86740df51cb4e52c113f');
    const cancel = { ...CAPTURE, montant_a_capturer: '0EUR', montant_restant: '0EUR' };
    expect(await mac('capture', 'legacy', cancel)).toBe('692485bb192367951d0255a66c5982f37e1e06a4');
  });

  it('C4: sorted capture over every field sent', async () => {
    expect(await mac('capture', 'current', CAPTURE)).toBe('46339b883b22800fa413611801f908e52be62ca5');
  });

  it('recrédit: legacy glues two amounts, sorted covers all 13 fields', async () => {
    const legacy = { ...REFUND, montant_possible: '100EUR' };
    expect(bankMacSource('recredit', legacy, 'legacy')).toBe(
      '1234567*05/12/2006:11:55:23*32.00EUR100EUR*ABERTYP00145*ExempleTexteLibre*3.0*FR*monSite1*',
    );
    expect(await mac('recredit', 'legacy', legacy)).toBe('2a6ccb70c61fd940e36130b814e4ec0e45ecc47b');
    expect(await mac('recredit', 'current', REFUND)).toBe('6bb207f2d2b49b090142a467526062e92a99b6fd');
  });
});

describe('bank API answers', () => {
  it('parses key=value lines with CR, a missing final LF and unknown keys', () => {
    expect(
      parseBankAnswer('version=1.0\r\nreference=000000000145\r\ncdr=1\nlib=paiement accepte\naut=123456'),
    ).toEqual({
      version: '1.0',
      reference: '000000000145',
      cdr: '1',
      lib: 'paiement accepte',
      aut: '123456',
    });
  });

  it('keeps the two code conventions apart: capture 1 = done, recrédit 0 = done', () => {
    expect(bankOutcome('capture', { cdr: '1', lib: 'paiement accepte' }).ok).toBe(true);
    expect(bankOutcome('capture', { cdr: '0', lib: 'autorisation refusee' })).toMatchObject({
      ok: false,
      retry: false,
    });
    expect(bankOutcome('capture', { cdr: '-1', lib: 'traitement en cours' })).toMatchObject({
      ok: false,
      retry: true,
    });
    expect(bankOutcome('capture', { cdr: '-1', lib: 'montant errone' })).toMatchObject({
      ok: false,
      retry: false,
    });
    expect(bankOutcome('recredit', { cdr: '0', lib: 'recredit effectue' }).ok).toBe(true);
    expect(bankOutcome('recredit', { cdr: '1' }).ok).toBe(false);
    expect(bankOutcome('recredit', { cdr: '-44' })).toMatchObject({ ok: false, retry: true });
    expect(bankOutcome('recredit', { cdr: '-35' })).toMatchObject({ ok: false, retry: false });
    expect(bankOutcome('capture', {})).toMatchObject({ ok: false, retry: false });
  });
});
