import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../src/cmcic/cards';
import { isAcknowledgement } from '../../src/cmcic/retour';
import { createTestMerchant, SHOP } from '../../src/cmcic/test-merchant';
import { SESSION_HEADER } from '../../src/lib/simulator';

async function openSession(merchant = createTestMerchant(), scheme: 'legacy' | 'current' = 'legacy') {
  const response = await merchant.post(merchant.form({}, scheme));
  expect(response.status).toBe(200);
  const session = response.headers.get(SESSION_HEADER);
  expect(session).toBeTruthy();
  return { merchant, session: session as string };
}

describe('return interface, legacy scheme', () => {
  it('posts a correctly signed, bank-encoded payetest return after a paid attempt', async () => {
    const { merchant, session } = await openSession();
    const step = await merchant.sandbox.cmcic.act(session, 'pay', { card: TEST_CARDS.accepted });
    expect(step).toEqual({ method: 'GET', url: `${SHOP}/ok?a=1&b=2` });
    expect(merchant.received).toHaveLength(0);
    expect(await merchant.sandbox.flush()).toBe(1);

    const [call] = merchant.received;
    expect(call?.macValid).toBe(true);
    expect(call?.fields).toMatchObject({
      TPE: '1234567',
      montant: '62.73EUR',
      reference: 'REF0001',
      'texte-libre': 'ExempleTexteLibre',
      'code-retour': 'payetest',
      cvx: 'oui',
      brand: 'na',
      veres: '',
      pares: '',
      modepaiement: 'CB',
    });
    expect(call?.fields.date).toMatch(/^\d{2}\/\d{2}\/\d{4}_a_\d{2}:\d{2}:\d{2}$/);
    expect(call?.fields.numauto).toMatch(/^\d{6}$/);
    expect(call?.fields).not.toHaveProperty('version');
    expect(call?.fields).not.toHaveProperty('motifrefus');
    expect(call?.fields).not.toHaveProperty('cbenregistree');
    // The bank's encoding (reference §4.1): lowercase escapes even for `.` and `_`.
    expect(call?.body).toContain('montant=62%2e73EUR');
    expect(call?.body).toMatch(/date=\d{2}%2f\d{2}%2f\d{4}%5fa%5f/);

    const [record] = merchant.sandbox.cmcic.returns();
    expect(record).toMatchObject({ codeRetour: 'payetest', acknowledged: true, state: 'delivered' });
    expect(record?.attempts).toHaveLength(1);
    expect(record?.url).toBe(`${SHOP}/cgi2`);
  });

  it('says paiement on the production endpoint, with a real brand', async () => {
    const merchant = createTestMerchant();
    const response = await merchant.post(merchant.form(), false);
    await merchant.sandbox.cmcic.act(response.headers.get(SESSION_HEADER) as string, 'pay');
    await merchant.sandbox.flush();
    expect(merchant.received[0]?.fields).toMatchObject({ 'code-retour': 'paiement', brand: 'VI' });
  });
});

describe('return interface, current scheme', () => {
  it('seals every posted field sorted, without version, with authentification and cbmasquee', async () => {
    const { merchant, session } = await openSession(undefined, 'current');
    await merchant.sandbox.cmcic.act(session, 'pay');
    await merchant.sandbox.flush();
    const [call] = merchant.received;
    expect(call?.macValid).toBe(true);
    expect(call?.fields).not.toHaveProperty('version');
    expect(call?.fields).not.toHaveProperty('status3ds');
    expect(call?.fields.cbmasquee).toBe('40000000******02');
    expect(call?.fields.bincb).toBe('40000000');
    const auth = JSON.parse(atob(call?.fields.authentification ?? ''));
    expect(auth).toMatchObject({ status: 'authenticated', protocol: '3DSecure' });
    expect(merchant.sandbox.cmcic.returns()[0]?.acknowledged).toBe(true);
  });

  it('includes fields the merchant does not know in the seal (extraFields fault)', async () => {
    const { merchant, session } = await openSession(undefined, 'current');
    merchant.sandbox.cmcic.faults.extraFields = { nouveauchamp: 'x y' };
    await merchant.sandbox.cmcic.act(session, 'pay');
    await merchant.sandbox.flush();
    expect(merchant.received[0]?.fields.nouveauchamp).toBe('x y');
    expect(merchant.received[0]?.macValid).toBe(true);
  });

  it('reports refusals with motifrefus and motifrefusautorisation', async () => {
    const { merchant, session } = await openSession(undefined, 'current');
    await merchant.sandbox.cmcic.act(session, 'pay', { card: TEST_CARDS.refused });
    await merchant.sandbox.flush();
    expect(merchant.received[0]?.fields).toMatchObject({
      'code-retour': 'Annulation',
      motifrefus: 'Refus',
      motifrefusautorisation: 'Refus test',
    });
    expect(merchant.received[0]?.fields).not.toHaveProperty('numauto');
    expect(merchant.received[0]?.macValid).toBe(true);
  });
});

describe('acknowledgement and faults', () => {
  it('accepts exactly version=2 / cdr=0, with or without the final LF', () => {
    expect(isAcknowledgement(200, 'version=2\ncdr=0\n')).toBe(true);
    expect(isAcknowledgement(200, 'version=2\ncdr=0')).toBe(true);
    expect(isAcknowledgement(200, 'version=2\ncdr=0\nextra')).toBe(true);
    expect(isAcknowledgement(200, 'version=2\ncdr=1\n')).toBe(false);
    expect(isAcknowledgement(200, 'version=2\ncdr=01\n')).toBe(false);
    expect(isAcknowledgement(200, 'OK')).toBe(false);
    expect(isAcknowledgement(200, '')).toBe(false);
    expect(isAcknowledgement(500, 'version=2\ncdr=0\n')).toBe(false);
    expect(isAcknowledgement(302, 'version=2\ncdr=0\n')).toBe(false);
  });

  it('retries once on a wrong acknowledgement, then is satisfied', async () => {
    const { merchant, session } = await openSession();
    merchant.answer = (_valid, call) => ({ status: 200, body: call === 1 ? 'OK' : 'version=2\ncdr=0' });
    await merchant.sandbox.cmcic.act(session, 'pay');
    await merchant.sandbox.flush();
    expect(merchant.received).toHaveLength(2);
    expect(merchant.received[1]?.body).toBe(merchant.received[0]?.body);
    const [record] = merchant.sandbox.cmcic.returns();
    expect(record?.attempts.map((a) => a.body)).toEqual(['OK', 'version=2\ncdr=0']);
    expect(record?.acknowledged).toBe(true);
  });

  it('gives up after the one retry', async () => {
    const { merchant, session } = await openSession();
    merchant.answer = () => ({ status: 500, body: 'oops' });
    await merchant.sandbox.cmcic.act(session, 'pay');
    await merchant.sandbox.flush();
    await merchant.sandbox.advance(3_600_000);
    expect(merchant.received).toHaveLength(2);
    expect(merchant.sandbox.cmcic.returns()[0]).toMatchObject({ state: 'gave-up', acknowledged: false });
  });

  it('honours a retry delay', async () => {
    const merchant = createTestMerchant({ retryDelayMs: 60_000 });
    merchant.answer = (_valid, call) => ({ status: 200, body: call === 1 ? 'nope' : 'version=2\ncdr=0\n' });
    const { session } = await openSession(merchant);
    await merchant.sandbox.cmcic.act(session, 'pay');
    await merchant.sandbox.flush();
    expect(merchant.received).toHaveLength(1);
    await merchant.sandbox.advance(59_999);
    expect(merchant.received).toHaveLength(1);
    await merchant.sandbox.advance(1);
    expect(merchant.received).toHaveLength(2);
    expect(merchant.sandbox.cmcic.returns()[0]?.acknowledged).toBe(true);
  });

  it('badMac: the bank signs wrongly, a correct merchant answers cdr=1, the bank retries once', async () => {
    for (const scheme of ['legacy', 'current'] as const) {
      const { merchant, session } = await openSession(undefined, scheme);
      merchant.sandbox.cmcic.faults.badMac = true;
      await merchant.sandbox.cmcic.act(session, 'pay');
      await merchant.sandbox.flush();
      expect(merchant.received.map((r) => r.macValid)).toEqual([false, false]);
      const [record] = merchant.sandbox.cmcic.returns();
      expect(record?.attempts.map((a) => a.body)).toEqual(['version=2\ncdr=1\n', 'version=2\ncdr=1\n']);
      expect(record?.state).toBe('gave-up');
    }
  });

  it('duplicate: the same return arrives several times', async () => {
    const { merchant, session } = await openSession();
    merchant.sandbox.cmcic.faults.duplicate = 2;
    await merchant.sandbox.cmcic.act(session, 'pay');
    await merchant.sandbox.flush();
    expect(merchant.received).toHaveLength(3);
    expect(new Set(merchant.received.map((r) => r.body)).size).toBe(1);
    expect(merchant.sandbox.cmcic.returns().every((r) => r.acknowledged)).toBe(true);
  });

  it('ackTimeoutMs 0: the merchant gets the call but the answer is too late, so it comes again', async () => {
    const { merchant, session } = await openSession();
    merchant.sandbox.cmcic.faults.ackTimeoutMs = 0;
    await merchant.sandbox.cmcic.act(session, 'pay');
    await merchant.sandbox.flush();
    expect(merchant.received).toHaveLength(2);
    expect(merchant.received.every((r) => r.macValid)).toBe(true);
    expect(merchant.sandbox.cmcic.returns()[0]).toMatchObject({ state: 'gave-up', ackTimeoutMs: 0 });
  });

  it('ackTimeoutMs > 0 aborts a merchant that answers too slowly', async () => {
    const { merchant, session } = await openSession();
    merchant.sandbox.cmcic.faults.ackTimeoutMs = 20;
    merchant.beforeAnswer = (request) =>
      new Promise((_resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(new Error('timed out')));
      });
    await merchant.sandbox.cmcic.act(session, 'pay');
    await merchant.sandbox.flush();
    const [record] = merchant.sandbox.cmcic.returns();
    expect(record?.attempts).toHaveLength(2);
    expect(record?.attempts[0]?.error).toMatch(/timed out/);
    expect(record?.state).toBe('gave-up');
  });

  it('split payment: montantech on the first return, then paiement_pfN / Annulation_pfN', async () => {
    const merchant = createTestMerchant();
    const day = (months: number) => {
      const d = new Date(merchant.sandbox.clock.now());
      const at = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()));
      return `${String(at.getUTCDate()).padStart(2, '0')}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${at.getUTCFullYear()}`;
    };
    const split = {
      montant: '100EUR',
      nbrech: '3',
      dateech1: day(0),
      montantech1: '40EUR',
      dateech2: day(1),
      montantech2: '30EUR',
      dateech3: day(2),
      montantech3: '30.00EUR',
    };
    const response = await merchant.post(merchant.form(split));
    expect(response.status).toBe(200);
    await merchant.sandbox.cmcic.act(response.headers.get(SESSION_HEADER) as string, 'pay');
    merchant.sandbox.cmcic.collectInstalment('1234567', 'REF0001', 2);
    merchant.sandbox.cmcic.collectInstalment('1234567', 'REF0001', 3, { refused: true });
    await merchant.sandbox.flush();
    expect(merchant.received.map((r) => [r.fields['code-retour'], r.fields.montantech, r.macValid])).toEqual([
      ['payetest', '40EUR', true],
      ['paiement_pf2', '30EUR', true],
      ['Annulation_pf3', '30.00EUR', true],
    ]);
    expect(() => merchant.sandbox.cmcic.collectInstalment('1234567', 'REF0001', 4)).toThrow();

    const broken = await merchant.post(
      merchant.form({ ...split, reference: 'REF0002', montantech3: '29EUR' }),
    );
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('montantech');
  });
});
