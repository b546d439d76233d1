import { describe, expect, it } from 'vitest';
import { operationalKey } from '../../src/cmcic/key';
import {
  controlString,
  hmacSha1Hex,
  legacyRequestString,
  legacyReturnString,
  macEquals,
  requestMacSource,
  returnMacSource,
  sortedFieldString,
} from '../../src/cmcic/mac';

const P0 = operationalKey('12345678901234567890123456789012345678P0');

const classic = {
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

describe('legacy scheme (reference §3.3, §3.4)', () => {
  it('V5: the doc v3.0 classic request', () => {
    const source = legacyRequestString(classic);
    expect(source).toBe(
      '1234567*05/12/2006:11:55:23*62.73EUR*ABERTYP00145*ExempleTexteLibre*3.0*FR*monSite1*internaute@sonemail.fr**********',
    );
    expect(source.split('*')).toHaveLength(19);
    expect(hmacSha1Hex(P0, source)).toBe('572c7e958787b391cd14fcb9d703886282ceb961');
  });

  it('V6: the doc v3.0 split request', () => {
    const split = {
      ...classic,
      nbrech: '4',
      dateech1: '05/12/2006',
      montantech1: '16.23EUR',
      dateech2: '05/01/2007',
      montantech2: '15.5EUR',
      dateech3: '05/02/2007',
      montantech3: '15.5EUR',
      dateech4: '05/03/2007',
      montantech4: '15.5EUR',
    };
    const source = requestMacSource('legacy', split);
    expect(
      source.endsWith('*4*05/12/2006*16.23EUR*05/01/2007*15.5EUR*05/02/2007*15.5EUR*05/03/2007*15.5EUR*'),
    ).toBe(true);
    expect(hmacSha1Hex(P0, source)).toBe('920876280787c9287d5575ddd9c2bf4c415512a7');
  });

  const paid = {
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
    // Posted but outside the legacy seal: must not change it.
    cbenregistree: '1',
    filtragecause: '4-',
  };

  it('V7: the doc v3.0 return, version constant and trailing star', () => {
    const source = legacyReturnString(paid);
    expect(source).toBe(
      '1234567*05/12/2006_a_11:55:23*62.75EUR*ABERTYP00145*LeTexteLibre*3.0*paiement*oui*1208*VI*1*010101**FRA*010101*74E94B03C22D786E0F2C2CADBFC1C00B004B7C45*127.0.0.1*FRA*Y*Y*',
    );
    expect(hmacSha1Hex(P0, returnMacSource('legacy', paid))).toBe('9cb6865959a08cdc4d06d556beedb9bb3c53aaba');
  });

  it('V8: a legacy refusal', () => {
    const { numauto: _granted, ...rest } = paid;
    const refused = { ...rest, reference: 'ref0001', 'code-retour': 'Annulation', motifrefus: 'Refus' };
    expect(hmacSha1Hex(P0, legacyReturnString(refused))).toBe('1976bf09aceba8cf6e24f6444d5baef443a72119');
  });
});

describe('current scheme (reference §3.5)', () => {
  const contexte =
    'eyJiaWxsaW5nIjp7ImFkZHJlc3NMaW5lMSI6IjE4IHJ1ZSBkZSBsJ2FkcmVzc2UiLCJjaXR5IjoiUGFyaXMiLCJwb3N0YWxDb2RlIjoiNzUwMDAiLCJjb3VudHJ5IjoiRlIifX0=';
  const request = {
    version: '3.0',
    url_retour_ok: 'https://shop.example/ok',
    TPE: '1234567',
    reference: 'REF7896543',
    date: '24/05/2019:10:00:25',
    lgue: 'FR',
    mail: 'internaute@sonemail.fr',
    montant: '95.25EUR',
    societe: 'monSite1',
    'texte-libre': 'ExempleTexteLibre',
    url_retour_err: 'https://shop.example/err',
    contexte_commande: contexte,
    MAC: 'ignored',
  };

  it('V9: sorts every field but MAC as key=value', () => {
    const source = sortedFieldString(request);
    expect(source).toBe(
      `TPE=1234567*contexte_commande=${contexte}*date=24/05/2019:10:00:25*lgue=FR*mail=internaute@sonemail.fr*montant=95.25EUR*reference=REF7896543*societe=monSite1*texte-libre=ExempleTexteLibre*url_retour_err=https://shop.example/err*url_retour_ok=https://shop.example/ok*version=3.0`,
    );
    expect(hmacSha1Hex(P0, requestMacSource('current', request))).toBe(
      '5070051f81fc9b8b5c03defec1864e6d51a2472c',
    );
  });

  it('§4.2 self vector: the kit sample return, every posted field sorted, no version', () => {
    const kitReturn = {
      TPE: '1234567',
      date: '25/05/2020_a_14:31:27',
      montant: '123.45EUR',
      reference: 'ref143106',
      'texte-libre': 'ExempleTexteLibre',
      'code-retour': 'payetest',
      cvx: 'oui',
      vld: '1223',
      brand: 'VI',
      numauto: '000000',
      usage: 'inconnu',
      typecompte: 'particulier',
      ecard: 'non',
      originecb: 'FRA',
      bincb: '000001',
      hpancb: '6C0F3557D7297149ECCD58CBD6205273F0F3DA7A',
      ipclient: '127.0.0.1',
      originetr: 'ZZZ',
      modepaiement: 'CB',
      authentification:
        'ewogICAiZGV0YWlscyIgOiB7CiAgICAgICJQQVJlcyIgOiAiWSIsCiAgICAgICJWRVJlcyIgOiAiWSIsCiAgICAgICJzdGF0dXMzRFMiIDogMQogICB9LAogICAicHJvdG9jb2wiIDogIjNEU2VjdXJlIiwKICAgInN0YXR1cyIgOiAiYXV0aGVudGljYXRlZCIsCiAgICJ2ZXJzaW9uIiA6ICIxLjAuMiIKfQo=',
    };
    expect(hmacSha1Hex(P0, returnMacSource('current', kitReturn))).toBe(
      '93d7baa36d7fc6ae3564205ff982d454e89b9d3e',
    );
  });

  it('keeps empty fields as key= and sorts digits before upper before lower case', () => {
    expect(sortedFieldString({ b: '', '3dsdebrayable': '1', TPE: 'x', aliascb: 'a' })).toBe(
      '3dsdebrayable=1*TPE=x*aliascb=a*b=',
    );
  });
});

describe('macEquals and the control string', () => {
  it('compares case-insensitively and rejects any difference', () => {
    const mac = '572c7e958787b391cd14fcb9d703886282ceb961';
    expect(macEquals(mac, mac.toUpperCase())).toBe(true);
    expect(macEquals(mac, `${mac.slice(0, 39)}0`)).toBe(false);
    expect(macEquals(mac, mac.slice(0, 39))).toBe(false);
    expect(macEquals(mac, '')).toBe(false);
  });

  it('reproduces the §3.6 support control string', () => {
    expect(controlString(P0, '3.0', '0000001')).toBe(
      'V4.0.sha1.php--[CtlHmac3.00000001]-91bdb04c9b46e5bf40248dda676d74e9604f73b1',
    );
  });
});
