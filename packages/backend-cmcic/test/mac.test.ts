import { describe, expect, it } from 'vitest';
import { computeMac, macEquals, macSource, verifyMac } from '../src/lib/mac';
import { KIT_RETURN } from './support/fixtures';

// The official kits' placeholder key; vectors V5–V9 of protocols/cmcic.md §3.7.
const P0 = '12345678901234567890123456789012345678P0';

const classicRequest = {
  TPE: '1234567',
  date: '05/12/2006:11:55:23',
  montant: '62.73EUR',
  reference: 'ABERTYP00145',
  'texte-libre': 'ExempleTexteLibre',
  version: '3.0',
  lgue: 'FR',
  societe: 'monSite1',
  mail: 'internaute@sonemail.fr',
  url_retour_ok: 'https://shop.example/ok',
  url_retour_err: 'https://shop.example/err',
};

const legacyReturn = {
  TPE: '1234567',
  date: '05/12/2006_a_11:55:23',
  montant: '62.75EUR',
  reference: 'ABERTYP00145',
  'texte-libre': 'LeTexteLibre',
  'code-retour': 'paiement',
  cvx: 'oui',
  vld: '1208',
  brand: 'VI',
  status3ds: '1',
  numauto: '010101',
  originecb: 'FRA',
  bincb: '010101',
  hpancb: '74E94B03C22D786E0F2C2CADBFC1C00B004B7C45',
  ipclient: '127.0.0.1',
  originetr: 'FRA',
  veres: 'Y',
  pares: 'Y',
};

describe('legacy scheme', () => {
  it('V5: request, doc v3.0 classic example (19 positions, url_retour_* not sealed)', async () => {
    expect(macSource(classicRequest, 'legacy', 'request')).toBe(
      '1234567*05/12/2006:11:55:23*62.73EUR*ABERTYP00145*ExempleTexteLibre*3.0*FR*monSite1*internaute@sonemail.fr**********',
    );
    expect(await computeMac(P0, classicRequest, { scheme: 'legacy', direction: 'request' })).toBe(
      '572c7e958787b391cd14fcb9d703886282ceb961',
    );
  });

  it('V6: request, doc v3.0 split example', async () => {
    const split = {
      ...classicRequest,
      nbrech: '4',
      dateech1: '05/12/2006',
      montantech1: '16.23EUR',
      dateech2: '05/01/2007',
      montantech2: '15.5EUR',
      dateech3: '05/02/2007',
      montantech3: '15.5EUR',
      dateech4: '05/03/2007',
      montantech4: '15.5EUR',
      options: '',
    };
    expect(macSource(split, 'legacy', 'request')).toBe(
      '1234567*05/12/2006:11:55:23*62.73EUR*ABERTYP00145*ExempleTexteLibre*3.0*FR*monSite1*internaute@sonemail.fr*4*05/12/2006*16.23EUR*05/01/2007*15.5EUR*05/02/2007*15.5EUR*05/03/2007*15.5EUR*',
    );
    expect(await computeMac(P0, split, { scheme: 'legacy', direction: 'request' })).toBe(
      '920876280787c9287d5575ddd9c2bf4c415512a7',
    );
  });

  it('V7: return, doc v3.0 example (20 positions, constant 3.0, trailing star)', async () => {
    expect(macSource(legacyReturn, 'legacy', 'return')).toBe(
      '1234567*05/12/2006_a_11:55:23*62.75EUR*ABERTYP00145*LeTexteLibre*3.0*paiement*oui*1208*VI*1*010101**FRA*010101*74E94B03C22D786E0F2C2CADBFC1C00B004B7C45*127.0.0.1*FRA*Y*Y*',
    );
    expect(await computeMac(P0, legacyReturn, { scheme: 'legacy', direction: 'return' })).toBe(
      '9cb6865959a08cdc4d06d556beedb9bb3c53aaba',
    );
  });

  it('V8: refused return, numauto empty', async () => {
    const refusal = {
      ...legacyReturn,
      reference: 'ref0001',
      'code-retour': 'Annulation',
      numauto: '',
      motifrefus: 'Refus',
    };
    expect(await computeMac(P0, refusal, { scheme: 'legacy', direction: 'return' })).toBe(
      '1976bf09aceba8cf6e24f6444d5baef443a72119',
    );
  });

  it('ignores unsealed legacy return fields (fraud, express)', async () => {
    const withExtras = { ...legacyReturn, filtragecause: '4-', cbmasquee: '123456******7890' };
    expect(await computeMac(P0, withExtras, { scheme: 'legacy', direction: 'return' })).toBe(
      '9cb6865959a08cdc4d06d556beedb9bb3c53aaba',
    );
  });
});

describe('current scheme', () => {
  const v9 = {
    TPE: '1234567',
    contexte_commande:
      'eyJiaWxsaW5nIjp7ImFkZHJlc3NMaW5lMSI6IjE4IHJ1ZSBkZSBsJ2FkcmVzc2UiLCJjaXR5IjoiUGFyaXMiLCJwb3N0YWxDb2RlIjoiNzUwMDAiLCJjb3VudHJ5IjoiRlIifX0=',
    date: '24/05/2019:10:00:25',
    lgue: 'FR',
    mail: 'internaute@sonemail.fr',
    montant: '95.25EUR',
    reference: 'REF7896543',
    societe: 'monSite1',
    'texte-libre': 'ExempleTexteLibre',
    url_retour_err: 'https://shop.example/err',
    url_retour_ok: 'https://shop.example/ok',
    version: '3.0',
  };

  it('V9: request sorted key=value over every field sent', async () => {
    const shuffled = Object.fromEntries(Object.entries(v9).reverse());
    expect(macSource(shuffled, 'current', 'request')).toBe(
      `TPE=1234567*contexte_commande=${v9.contexte_commande}*date=24/05/2019:10:00:25*lgue=FR*mail=internaute@sonemail.fr*montant=95.25EUR*reference=REF7896543*societe=monSite1*texte-libre=ExempleTexteLibre*url_retour_err=https://shop.example/err*url_retour_ok=https://shop.example/ok*version=3.0`,
    );
    expect(await computeMac(P0, shuffled, { scheme: 'current', direction: 'request' })).toBe(
      '5070051f81fc9b8b5c03defec1864e6d51a2472c',
    );
  });

  it('§4.2 self vector: the kit sample return (payetest), authentification hashed as received', async () => {
    expect(await computeMac(P0, KIT_RETURN, { scheme: 'current', direction: 'return' })).toBe(
      '93d7baa36d7fc6ae3564205ff982d454e89b9d3e',
    );
    expect(macSource(KIT_RETURN, 'current', 'return')).toMatch(
      /^TPE=1234567\*authentification=ewog[^*]+\*bincb=000001\*brand=VI\*code-retour=payetest\*cvx=oui\*date=25\/05\/2020_a_14:31:27\*ecard=non\*hpancb=6C0F3557D7297149ECCD58CBD6205273F0F3DA7A\*ipclient=127\.0\.0\.1\*modepaiement=CB\*montant=123\.45EUR\*numauto=000000\*originecb=FRA\*originetr=ZZZ\*reference=ref143106\*texte-libre=ExempleTexteLibre\*typecompte=particulier\*usage=inconnu\*vld=1223$/,
    );
  });

  it('sorts in byte order, keeps empty fields as key= and leaves MAC out', () => {
    const source = macSource(
      {
        version: '3.0',
        aliascb: 'c1',
        '3dsdebrayable': '1',
        TPE: '1',
        ThreeDSecureChallenge: 'x',
        nbrech: '',
        MAC: 'ff',
      },
      'current',
      'return',
    );
    expect(source).toBe('3dsdebrayable=1*TPE=1*ThreeDSecureChallenge=x*aliascb=c1*nbrech=*version=3.0');
  });

  it('verifies whatever the case of the received MAC, and refuses tampering', async () => {
    const mac = await computeMac(P0, v9, { scheme: 'current', direction: 'request' });
    expect(
      await verifyMac(P0, { ...v9, MAC: mac.toUpperCase() }, { scheme: 'current', direction: 'request' }),
    ).toBe(true);
    expect(
      await verifyMac(
        P0,
        { ...v9, montant: '95.26EUR', MAC: mac },
        { scheme: 'current', direction: 'request' },
      ),
    ).toBe(false);
    expect(await verifyMac(P0, v9, { scheme: 'current', direction: 'request' })).toBe(false);
    expect(macEquals(mac, mac.slice(0, 39))).toBe(false);
    expect(macEquals(mac, `${mac.slice(0, 39)}g`)).toBe(false);
  });
});
