import { describe, expect, it } from 'vitest';
import { operationalKey } from '../src/cmcic/key';
import {
  hmacSha1Hex,
  legacyCaptureString,
  legacyRefundString,
  type MacScheme,
  sortedFieldString,
} from '../src/cmcic/mac';
import { BASE, createTestMerchant, KEY, requestDate } from '../src/cmcic/test-merchant';

const key = operationalKey(KEY);

describe('issue 15: Monetico capture and refund seals (cmcic-api.md §3.2, §5 vectors)', () => {
  const capture = {
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
  it('legacy capture, full capture and cancel strings (C1–C3)', () => {
    expect(hmacSha1Hex(key, legacyCaptureString(capture))).toBe('49570d7b6f9e21ed53170074f6b91ce19e111350');
    const full = { ...capture, montant_a_capturer: '100.00EUR', montant_restant: '0EUR' };
    expect(hmacSha1Hex(key, legacyCaptureString(full))).toBe('8823818d2b91a991146b86740df51cb4e52c113f');
    const cancel = { ...capture, montant_a_capturer: '0EUR', montant_restant: '0EUR' };
    expect(legacyCaptureString(cancel)).toBe(
      '1234567*05/12/2006:11:55:23*0EUR0EUR0EUR*ABERTYP00145*ExempleTexteLibre*3.0*FR*monSite1*',
    );
    expect(hmacSha1Hex(key, legacyCaptureString(cancel))).toBe('692485bb192367951d0255a66c5982f37e1e06a4');
  });
  it('sorted capture (C4) and both refund vectors', () => {
    expect(hmacSha1Hex(key, sortedFieldString(capture))).toBe('46339b883b22800fa413611801f908e52be62ca5');
    const refund = {
      TPE: '1234567',
      date: '05/12/2006:11:55:23',
      montant_recredit: '32.00EUR',
      montant_possible: '100EUR',
      reference: 'ABERTYP00145',
      'texte-libre': 'ExempleTexteLibre',
      version: '3.0',
      lgue: 'FR',
      societe: 'monSite1',
    };
    expect(hmacSha1Hex(key, legacyRefundString(refund))).toBe('2a6ccb70c61fd940e36130b814e4ec0e45ecc47b');
    const sorted = {
      ...refund,
      date_commande: '03/12/2006',
      date_remise: '04/12/2006',
      num_autorisation: '1234A6',
      montant: '100.00EUR',
      montant_possible: '100.00EUR',
    };
    expect(hmacSha1Hex(key, sortedFieldString(sorted))).toBe('6bb207f2d2b49b090142a467526062e92a99b6fd');
  });
});

/** A merchant with immediate (1234567 legacy, 7654321 current), deferred and partial terminals. */
async function paidOrder(tpe: string, scheme: MacScheme, reference: string, montant = '100.00EUR') {
  const merchant = createTestMerchant();
  merchant.sandbox.cmcic.addTpe({
    tpe: '2000001',
    key: KEY,
    societe: 'monSite1',
    scheme: 'current',
    retourUrl: 'https://shop.example/cgi2',
    mode: 'deferred',
  });
  merchant.sandbox.cmcic.addTpe({
    tpe: '2000002',
    key: KEY,
    societe: 'monSite1',
    scheme: 'legacy',
    retourUrl: 'https://shop.example/cgi2',
    mode: 'partial',
  });
  merchant.sandbox.cmcic.addTpe({
    tpe: '2000003',
    key: KEY,
    societe: 'monSite1',
    scheme: 'current',
    retourUrl: 'https://shop.example/cgi2',
    refunds: false,
  });
  const form = merchant.form({ TPE: tpe, reference, montant }, scheme);
  const page = await merchant.post(form);
  expect(page.status).toBe(200);
  await merchant.sandbox.cmcic.act(page.headers.get('x-sandbox-session') as string, 'pay');
  const payment = merchant.sandbox.cmcic.payments().find((p) => p.reference === reference);
  if (!payment) throw new Error('not paid');
  const call = async (cgi: 'capture' | 'recredit', fields: Record<string, string>, macOverride?: string) => {
    const base: Record<string, string> = {
      version: '3.0',
      TPE: tpe,
      date: requestDate(merchant.sandbox.clock.now()),
      date_commande: form.date?.slice(0, 10) as string,
      montant,
      reference,
      'texte-libre': 'ExempleTexteLibre',
      lgue: 'FR',
      societe: 'monSite1',
      ...fields,
    };
    const source =
      scheme === 'legacy'
        ? cgi === 'capture'
          ? legacyCaptureString(base)
          : legacyRefundString(base)
        : sortedFieldString(base);
    const signed = { ...base, MAC: macOverride ?? hmacSha1Hex(key, source) };
    const response = await merchant.sandbox.handler(
      new Request(`${BASE}/cmcic/test/${cgi}_paiement.cgi`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(signed).toString(),
      }),
    );
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const answer = Object.fromEntries(
      text
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    );
    return { cdr: Number(answer.cdr), lib: answer.lib, answer, text };
  };
  const capture = (now: string, already: string, remaining: string, extra: Record<string, string> = {}) =>
    call('capture', {
      montant_a_capturer: now,
      montant_deja_capture: already,
      montant_restant: remaining,
      ...extra,
    });
  const refund = (amount: string, possible: string, extra: Record<string, string> = {}) =>
    call('recredit', {
      date_remise: merchant.sandbox.cmcic.payments()[0]?.collectedOn ?? '',
      num_autorisation: payment.numauto,
      montant_recredit: amount,
      montant_possible: possible,
      ...extra,
    });
  return { merchant, payment, call, capture, refund, sandbox: merchant.sandbox };
}

describe('issue 15: the Monetico capture and refund interfaces', () => {
  it('immediate terminal: refunds up to what was collected; capture refused by the terminal mode', async () => {
    const { refund, capture, payment, sandbox } = await paidOrder('1234567', 'legacy', 'IMM001');
    expect(payment).toMatchObject({ capturedMinor: 10000, refundedMinor: 0, cancelled: false });
    expect(await capture('100.00EUR', '0EUR', '0EUR')).toMatchObject({
      cdr: -1,
      lib: 'verification echouee (mode de paiement)',
    });
    expect(await refund('32.00EUR', '100.00EUR')).toMatchObject({ cdr: 0, lib: 'recredit effectue' });
    expect(await refund('10.00EUR', '100.00EUR')).toMatchObject({
      cdr: -35,
      lib: 'Les montants transmis sont incorrects',
    });
    expect(await refund('70.00EUR', '68.00EUR')).toMatchObject({ cdr: -40 });
    expect(await refund('68.00EUR', '68.00EUR', { num_autorisation: '999999' })).toMatchObject({ cdr: -39 });
    expect(await refund('0EUR', '68.00EUR')).toMatchObject({ cdr: -34 });
    expect(await refund('68.00USD', '68.00EUR')).toMatchObject({ cdr: -42 });
    expect(await refund('68.00EUR', '68.00EUR')).toMatchObject({ cdr: 0 });
    expect(sandbox.cmcic.payments()[0]).toMatchObject({ refundedMinor: 10000 });
    expect(sandbox.cmcic.operations().map((o) => o.cdr)).toEqual([-1, 0, -35, -40, -39, -34, -42, 0]);
  });

  it('deferred terminal (current scheme): no refund before capture, one full capture, then a refund', async () => {
    const { refund, capture, payment, sandbox } = await paidOrder('2000001', 'current', 'DEF001');
    expect(payment).toMatchObject({ capturedMinor: 0, collectedOn: undefined });
    expect(await refund('10.00EUR', '100.00EUR', { date_remise: '01/01/2026' })).toMatchObject({ cdr: -38 });
    expect(await capture('60.00EUR', '0EUR', '40.00EUR')).toMatchObject({
      cdr: -1,
      lib: 'verification echouee (mode de paiement)',
    });
    const captured = await capture('100.00EUR', '0EUR', '0EUR');
    expect(captured).toMatchObject({
      cdr: 1,
      lib: 'paiement accepte',
      answer: { aut: payment.numauto, version: '1.0', reference: 'DEF001' },
    });
    expect(await capture('100.00EUR', '0EUR', '0EUR')).toMatchObject({
      cdr: 0,
      lib: 'paiement deja accepte',
    });
    expect(await refund('100.00EUR', '100.00EUR')).toMatchObject({ cdr: 0 });
    expect(sandbox.cmcic.payments()[0]).toMatchObject({ capturedMinor: 10000, refundedMinor: 10000 });
  });

  it('partial terminal (legacy): several captures, the remainder cancelled, nothing after', async () => {
    const { capture, refund } = await paidOrder('2000002', 'legacy', 'PAR001');
    expect(await capture('62.00EUR', '0EUR', '38.00EUR')).toMatchObject({ cdr: 1, lib: 'paiement accepte' });
    expect(await capture('10.00EUR', '0EUR', '28.00EUR')).toMatchObject({ cdr: -1, lib: 'montant errone' });
    expect(await capture('10.00EUR', '62.00EUR', '27.00EUR')).toMatchObject({
      cdr: -1,
      lib: 'montant errone',
    });
    expect(await capture('10.00EUR', '62.00EUR', '28.00EUR')).toMatchObject({ cdr: 1 });
    expect(await capture('0EUR', '72.00EUR', '0EUR')).toMatchObject({ cdr: 1, lib: 'commande annulee' });
    expect(await capture('28.00EUR', '72.00EUR', '0EUR')).toMatchObject({
      cdr: 0,
      lib: 'la commande est deja annulee',
    });
    expect(await refund('72.00EUR', '72.00EUR')).toMatchObject({ cdr: 0 });
  });

  it('refuses bad seals, unknown merchants and orders, stale dates, and refunds on a terminal without them', async () => {
    const { capture, refund, call, sandbox } = await paidOrder('2000002', 'legacy', 'ERR001');
    expect(
      await call(
        'capture',
        { montant_a_capturer: '1EUR', montant_deja_capture: '0EUR', montant_restant: '99EUR' },
        'f'.repeat(40),
      ),
    ).toMatchObject({
      cdr: -1,
      lib: 'signature non valide',
    });
    expect(
      await call(
        'recredit',
        {
          date_remise: '01/01/2026',
          num_autorisation: '1',
          montant_recredit: '1EUR',
          montant_possible: '1EUR',
        },
        '0'.repeat(40),
      ),
    ).toMatchObject({ cdr: -31 });
    expect(await capture('1.00EUR', '0EUR', '99.00EUR', { societe: 'autre' })).toMatchObject({
      cdr: -1,
      lib: 'commercant non identifie',
    });
    expect(await refund('1.00EUR', '1.00EUR', { TPE: '0000000' })).toMatchObject({ cdr: -30 });
    expect(await capture('1.00EUR', '0EUR', '99.00EUR', { reference: 'NOPE' })).toMatchObject({
      cdr: 0,
      lib: 'commande non authentifiee',
    });
    expect(await capture('1.00EUR', '0EUR', '99.00EUR', { date_commande: '01/01/2001' })).toMatchObject({
      cdr: 0,
      lib: 'commande non authentifiee',
    });
    expect(await capture('1.00EUR', '0EUR', '99.00EUR', { date: '01/01/2001:00:00:00' })).toMatchObject({
      cdr: 0,
      lib: 'commande expiree',
    });
    expect(await capture('1.00EUR', '0EUR', '99.00EUR', { date: '2001-01-01' })).toMatchObject({
      cdr: -1,
      lib: 'date erronee',
    });
    expect(await capture('1.00EUR', '0EUR', '98.00EUR')).toMatchObject({ cdr: -1, lib: 'montant errone' });
    expect(await capture('0EUR', '0EUR', '100.00EUR')).toMatchObject({ cdr: -1, lib: 'montant errone' });
    expect(await capture('1.00EUR', '0EUR', '99.00EUR', { stoprecurrence: 'OUI' })).toMatchObject({
      cdr: -1,
    });
    sandbox.cmcic.faults.apiProblem = 1;
    expect(await capture('1.00EUR', '0EUR', '99.00EUR')).toMatchObject({
      cdr: -1,
      lib: 'probleme technique',
    });
    expect(await capture('1.00EUR', '0EUR', '99.00EUR')).toMatchObject({ cdr: 1 });
    expect(sandbox.cmcic.payments()[0]).toMatchObject({ capturedMinor: 100 });
    const missing = await sandbox.handler(
      new Request(`${BASE}/cmcic/test/capture_paiement.cgi`, { method: 'POST', body: 'TPE=2000002' }),
    );
    expect(await missing.text()).toContain('cdr=-1\nlib=la demande ne peut aboutir');
    expect((await sandbox.handler(new Request(`${BASE}/cmcic/capture_paiement.cgi`))).status).toBe(405);

    const noRefunds = await paidOrder('2000003', 'current', 'NOREF1');
    expect(await noRefunds.refund('1.00EUR', '100.00EUR')).toMatchObject({
      cdr: -32,
      lib: 'recredit non autorise',
    });
  });
});
