import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../src/cmcic/cards';
import { operationalKey } from '../../src/cmcic/key';
import { hmacSha1Hex, sortedFieldString } from '../../src/cmcic/mac';
import { BASE, createTestMerchant, KEY, SHOP } from '../../src/cmcic/test-merchant';
import { SESSION_HEADER } from '../../src/lib/simulator';

const session = (response: Response) => response.headers.get(SESSION_HEADER) as string;

describe('paiement.cgi: seal and form checks', () => {
  it('shows the card page with the test cards, escaped values and no secret', async () => {
    const merchant = createTestMerchant();
    const response = await merchant.post(merchant.form({ reference: 'ABC123' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain(TEST_CARDS.accepted);
    expect(html).toContain(TEST_CARDS.fraudFiltered);
    expect(html).toContain('62.73 EUR');
    expect(html).toContain(`action="${BASE}/cmcic/session/${session(response)}"`);
    expect(html).not.toContain(KEY);
    expect(html).not.toContain(merchant.form({ reference: 'ABC123' }).MAC);
  });

  it('shows the bank error page on a wrong seal, in both schemes', async () => {
    for (const scheme of ['legacy', 'current'] as const) {
      const merchant = createTestMerchant();
      const fields = merchant.form({}, scheme);
      const response = await merchant.post({ ...fields, montant: '62.74EUR' });
      expect(response.status).toBe(400);
      expect(response.headers.get(SESSION_HEADER)).toBeNull();
      expect(await response.text()).toContain('Signature non valide');
    }
  });

  it('accepts the seal in upper case', async () => {
    const merchant = createTestMerchant();
    const fields = merchant.form();
    const response = await merchant.post({ ...fields, MAC: (fields.MAC as string).toUpperCase() });
    expect(response.status).toBe(200);
  });

  it('checks the seal with the scheme of the TPE (a sorted seal on a legacy TPE fails)', async () => {
    const merchant = createTestMerchant();
    const { MAC: _legacy, ...fields } = merchant.form();
    const sorted = hmacSha1Hex(operationalKey(KEY), sortedFieldString(fields));
    const response = await merchant.post({ ...fields, MAC: sorted });
    expect(await response.text()).toContain('Signature non valide');
  });

  it('covers every sent field in the current scheme (an unsealed extra field breaks it)', async () => {
    const merchant = createTestMerchant();
    const fields = merchant.form({}, 'current');
    const response = await merchant.post({ ...fields, aliascb: 'client1' });
    expect(await response.text()).toContain('Signature non valide');
  });

  it('rejects unknown merchants', async () => {
    const merchant = createTestMerchant();
    for (const overrides of [{ TPE: '0000000' }, { societe: 'autreSite' }]) {
      const response = await merchant.post(merchant.form(overrides));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Commerçant inconnu');
    }
  });

  it.each([
    [{ reference: 'REF-0001' }, 'reference'],
    [{ reference: 'A234567890123' }, 'reference'],
    [{ montant: '62,73EUR' }, 'montant'],
    [{ montant: '62.731EUR' }, 'montant'],
    [{ date: '2026-01-15T12:00:00Z' }, 'date'],
    [{ 'texte-libre': 'café' }, 'texte-libre'],
    [{ 'texte-libre': 'a\nb' }, 'texte-libre'],
    [{ lgue: 'fr' }, 'lgue'],
    [{ version: '4.0' }, 'version'],
    [{ url_retour_ok: 'javascript:alert(1)' }, 'url_retour_ok'],
    [{ aliascb: 'client1' }, 'aliascb: not a field'],
    [{ options: 'aliascb=client-1' }, 'options'],
    [{ options: 'bogus=1' }, 'options'],
  ])('legacy form %j is refused (%s)', async (overrides, problem) => {
    const merchant = createTestMerchant();
    const response = await merchant.post(merchant.form(overrides));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Les données du formulaire sont incorrectes');
    expect(html).toContain(problem);
  });

  it.each([
    [{ contexte_commande: undefined }, 'contexte_commande: missing'],
    [{ contexte_commande: 'not base64!' }, 'contexte_commande'],
    [{ options: 'aliascb=x' }, 'options: not a field'],
    [{ forcesaisiecb: 'yes' }, 'forcesaisiecb'],
  ])('current form %j is refused (%s)', async (overrides, problem) => {
    const merchant = createTestMerchant();
    const response = await merchant.post(merchant.form(overrides, 'current'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(problem);
  });

  it('allows a 50-character printable reference in the current scheme only', async () => {
    const merchant = createTestMerchant();
    const reference = 'Order #2026/01 - ' + 'x'.repeat(33);
    expect((await merchant.post(merchant.form({ reference }, 'current'))).status).toBe(200);
    expect((await merchant.post(merchant.form({ reference }))).status).toBe(400);
  });

  it('refuses a field sent twice', async () => {
    const merchant = createTestMerchant();
    const fields = merchant.form();
    const body = `${new URLSearchParams(fields)}&lgue=EN`;
    const response = await merchant.sandbox.handler(
      new Request(`${BASE}/cmcic/test/paiement.cgi`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
    expect(await response.text()).toContain('lgue: sent twice');
  });
});

describe('attempts on one reference', () => {
  it('refused then paid: several Annulation then one paiement, then "already processed"', async () => {
    const merchant = createTestMerchant();
    const fields = merchant.form();
    const id = session(await merchant.post(fields));
    const { cmcic } = merchant.sandbox;
    expect(await cmcic.act(id, 'pay', { card: TEST_CARDS.refused })).toEqual({
      method: 'GET',
      url: `${SHOP}/err`,
    });
    expect(await cmcic.act(id, 'pay', { card: TEST_CARDS.accepted, cvv: '999' })).toEqual({
      method: 'GET',
      url: `${SHOP}/err`,
    });
    expect((await cmcic.act(id, 'pay', { card: TEST_CARDS.accepted })).method).toBe('GET');
    await merchant.sandbox.flush();
    expect(merchant.received.map((r) => [r.fields['code-retour'], r.fields.motifrefus, r.macValid])).toEqual([
      ['Annulation', 'Refus', true],
      ['Annulation', 'Refus', true],
      ['payetest', undefined, true],
    ]);
    expect(new Set(merchant.received.map((r) => r.fields.reference))).toEqual(new Set(['REF0001']));

    const again = await merchant.post(merchant.form());
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Votre commande a déjà été traitée');
    const step = await cmcic.act(id, 'pay');
    expect(step.method).toBe('NONE');
    expect(step.method === 'NONE' && step.html).toContain('déjà été traitée');
    await merchant.sandbox.flush();
    expect(merchant.received).toHaveLength(3);
  });

  it('fraud-filtered: Annulation with motifrefus=filtrage, filtragecause and filtragevaleur', async () => {
    const merchant = createTestMerchant();
    const id = session(await merchant.post(merchant.form()));
    await merchant.sandbox.cmcic.act(id, 'pay', { card: TEST_CARDS.fraudFiltered });
    const id2 = session(await merchant.post(merchant.form({ reference: 'REF0002' }, 'current')));
    await merchant.sandbox.cmcic.act(id2, 'pay', { card: TEST_CARDS.fraudInformation });
    await merchant.sandbox.flush();
    expect(merchant.received[0]?.fields).toMatchObject({
      'code-retour': 'Annulation',
      motifrefus: 'filtrage',
      filtragecause: '4-',
      filtragevaleur: 'USA-',
      originecb: 'USA',
    });
    expect(merchant.received[1]?.fields).toMatchObject({
      'code-retour': 'payetest',
      filtragecause: '4-',
      filtrage_etat: 'information',
    });
    expect(merchant.received.every((r) => r.macValid)).toBe(true);
  });

  it('after four failures the order is burnt ("grillée")', async () => {
    const merchant = createTestMerchant();
    const id = session(await merchant.post(merchant.form()));
    for (let n = 0; n < 4; n++) await merchant.sandbox.cmcic.act(id, 'pay', { card: TEST_CARDS.refused });
    const step = await merchant.sandbox.cmcic.act(id, 'pay');
    expect(step.method === 'NONE' && step.html).toContain('nombre maximal de tentatives');
    expect((await merchant.post(merchant.form())).status).toBe(400);
    await merchant.sandbox.flush();
    expect(merchant.received).toHaveLength(4);
  });

  it('typing mistakes are not attempts; cancel sends no return', async () => {
    const merchant = createTestMerchant();
    const id = session(await merchant.post(merchant.form()));
    const expired = await merchant.sandbox.cmcic.act(id, 'pay', { expiry: '01/20' });
    expect(expired.method === 'NONE' && expired.html).toContain('Date de validité incorrecte');
    const badNumber = await merchant.sandbox.cmcic.act(id, 'pay', { card: '12ab' });
    expect(badNumber.method === 'NONE' && badNumber.html).toContain('Numéro de carte incorrect');
    expect(await merchant.sandbox.cmcic.act(id, 'cancel')).toEqual({ method: 'GET', url: `${SHOP}/err` });
    expect((await merchant.sandbox.cmcic.act(id, 'pay')).method).toBe('NONE');
    await merchant.sandbox.flush();
    expect(merchant.received).toHaveLength(0);
  });

  it('the page expires after 45 minutes', async () => {
    const merchant = createTestMerchant();
    const id = session(await merchant.post(merchant.form()));
    merchant.sandbox.clock.advance(46 * 60_000);
    const step = await merchant.sandbox.cmcic.act(id, 'pay');
    expect(step.method === 'NONE' && step.html).toContain('délai de paiement est dépassé');
  });

  it('the HTML form does what act() does', async () => {
    const merchant = createTestMerchant();
    const id = session(await merchant.post(merchant.form()));
    const page = await merchant.sandbox.handler(new Request(`${BASE}/cmcic/session/${id}`));
    expect(page.headers.get(SESSION_HEADER)).toBe(id);
    const receipt = await merchant.sandbox.handler(
      new Request(`${BASE}/cmcic/session/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ action: 'pay', card: TEST_CARDS.accepted, expiry: '12/40', cvv: '123' }),
      }),
    );
    const html = await receipt.text();
    expect(html).toContain('Paiement accepté');
    expect(html).toContain(`href="${SHOP}/ok?a=1&amp;b=2"`);
    await merchant.sandbox.flush();
    expect(merchant.received[0]?.fields).toMatchObject({ 'code-retour': 'payetest', vld: '1240' });
  });
});

describe('Paiement Express (aliascb)', () => {
  it('second purchase: masked card shown, CVV only; cbenregistree=1 when stored, then 0 (legacy)', async () => {
    const merchant = createTestMerchant();
    const { cmcic } = merchant.sandbox;
    const first = await merchant.post(merchant.form({ options: 'aliascb=client42' }));
    expect(await first.text()).toContain('Enregistrer cette carte');
    await cmcic.act(session(first), 'pay', { card: TEST_CARDS.accepted, expiry: '11/39', remember: true });
    expect(cmcic.storedCard('1234567', 'client42')).toEqual({
      pan: TEST_CARDS.accepted,
      expiryMonth: 11,
      expiryYear: 2039,
    });

    const second = await merchant.post(merchant.form({ reference: 'REF0002', options: 'aliascb=client42' }));
    expect(await second.text()).toContain('400000******0002');
    expect(await cmcic.act(session(second), 'pay', { cvv: '123' })).toEqual({
      method: 'GET',
      url: `${SHOP}/ok?a=1&b=2`,
    });
    const third = await merchant.post(merchant.form({ reference: 'REF0003', options: 'aliascb=client42' }));
    expect((await cmcic.act(session(third), 'pay', {})).method === 'NONE').toBe(true);
    await merchant.sandbox.flush();
    expect(
      merchant.received.map((r) => [r.fields.cbenregistree, r.fields.cbmasquee, r.fields.vld, r.macValid]),
    ).toEqual([
      ['1', '400000******0002', '1139', true],
      ['0', '400000******0002', '1139', true],
    ]);
  });

  it('a wrong CVV on the stored card is refused; forcesaisiecb hides the stored card (current)', async () => {
    const merchant = createTestMerchant();
    const { cmcic } = merchant.sandbox;
    const first = await merchant.post(merchant.form({ aliascb: 'client7' }, 'current'));
    await cmcic.act(session(first), 'pay', { remember: true, card: TEST_CARDS.accepted });
    const second = await merchant.post(
      merchant.form({ reference: 'REF0002', aliascb: 'client7' }, 'current'),
    );
    await cmcic.act(session(second), 'pay', { cvv: '000' });
    const forced = await merchant.post(
      merchant.form({ reference: 'REF0003', aliascb: 'client7', forcesaisiecb: '1' }, 'current'),
    );
    expect(await forced.text()).not.toContain('Carte enregistrée');
    const other = await merchant.post(merchant.form({ reference: 'REF0004', aliascb: 'other' }, 'current'));
    expect(await other.text()).not.toContain('Carte enregistrée');
    await merchant.sandbox.flush();
    expect(merchant.received.map((r) => [r.fields['code-retour'], r.fields.cbenregistree])).toEqual([
      ['payetest', '1'],
      ['Annulation', '0'],
    ]);
    expect(merchant.received.every((r) => r.macValid)).toBe(true);
  });

  it('without remember the card is not stored (cbenregistree=0)', async () => {
    const merchant = createTestMerchant();
    const first = await merchant.post(merchant.form({ options: 'aliascb=client9' }));
    await merchant.sandbox.cmcic.act(session(first), 'pay');
    await merchant.sandbox.flush();
    expect(merchant.received[0]?.fields.cbenregistree).toBe('0');
    expect(merchant.received[0]?.fields).not.toHaveProperty('cbmasquee');
    expect(merchant.sandbox.cmcic.storedCard('1234567', 'client9')).toBeUndefined();
  });
});

describe('configuration', () => {
  it('refuses a TPE whose key cannot be converted', () => {
    const merchant = createTestMerchant();
    expect(() =>
      merchant.sandbox.cmcic.addTpe({
        tpe: '1111111',
        key: 'not a key',
        societe: 's',
        scheme: 'legacy',
        retourUrl: `${SHOP}/x`,
      }),
    ).toThrow(/40 characters/);
  });

  it('answers 404 elsewhere', async () => {
    const merchant = createTestMerchant();
    expect((await merchant.sandbox.handler(new Request(`${BASE}/cmcic/nope`))).status).toBe(404);
  });
});
