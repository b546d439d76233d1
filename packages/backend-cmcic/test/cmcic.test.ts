import { describe, expect, it } from 'vitest';
import { cmcic } from '../src/cmcic';
import { verifyMac } from '../src/lib/mac';
import { inbound, KEY, makeContext, makePayment } from './support/fixtures';

describe('settings', () => {
  it('reports every bad field at once with the display name', () => {
    expect(() => cmcic({ tpe: '12', key: 'nothex', company: 'my shop!' })).toThrow(
      /CM-CIC Paiement \/ Monetico: tpe: .*key: .*company: /,
    );
  });

  it('takes only an absolute http(s) URL as endpoint', () => {
    for (const endpoint of ['localhost:4010/cmcic', '/cmcic', 'ftp://sandbox.example/cmcic']) {
      expect(() => cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', endpoint })).toThrow(
        /CM-CIC Paiement \/ Monetico: endpoint: must be an absolute http\(s\) URL/,
      );
    }
    expect(
      cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', endpoint: 'http://127.0.0.1:4010/cmcic' })
        .endpoint,
    ).toBe('http://127.0.0.1:4010/cmcic');
  });

  it('accepts legacy keys and keeps them (and their converted form) secret', () => {
    const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1' });
    expect(backend.secrets).toContain(KEY);
    expect(backend.secrets).toContain('1234567890123456789012345678901234567890');
  });
});

describe('prepare', () => {
  it('builds a sealed current-scheme form posted to <endpoint>/paiement.cgi', async () => {
    const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1' });
    const payment = makePayment();
    const { redirect, externalId, brokerData } = await backend.prepare(payment, makeContext([payment]));
    expect(redirect.method).toBe('POST');
    if (redirect.method !== 'POST') return;
    expect(redirect.url).toBe('https://p.monetico-services.com/test/paiement.cgi');
    const { fields } = redirect;
    expect(fields).toMatchObject({
      TPE: '1234567',
      date: '15/01/2024:11:00:00',
      montant: '19.99EUR',
      'texte-libre': 'Commande n%C2%B01',
      version: '3.0',
      lgue: 'EN',
      societe: 'monSite1',
      mail: 'alice@example.com',
      aliascb: 'client1',
      url_retour_ok: `https://shop.example/pay/return/cmcic/${payment.id}?result=ok`,
      url_retour_err: `https://shop.example/pay/return/cmcic/${payment.id}?result=err`,
    });
    expect(fields.reference).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(externalId).toBe(fields.reference);
    expect(brokerData).toEqual({
      cmcicRequest: {
        reference: fields.reference,
        // The form's date: `date_commande` of a later capture or refund.
        date: fields.date,
        alias: 'client1',
        forceCardEntry: false,
        macScheme: 'current',
      },
    });
    expect(JSON.parse(atob(fields.contexte_commande ?? ''))).toEqual({
      billing: {
        email: 'alice@example.com',
        addressLine1: '18 rue de la Paix',
        city: 'Paris',
        postalCode: '75002',
        country: 'FR',
      },
    });
    expect(fields.MAC).toMatch(/^[0-9a-f]{40}$/);
    expect(await verifyMac(KEY, fields, { scheme: 'current', direction: 'request' })).toBe(true);
  });

  it('encodes contexte_commande as Base64 of UTF-8 JSON, as in the V9 example', async () => {
    const billing = {
      addressLine1: "18 rue de l'adresse",
      city: 'Paris',
      postalCode: '75000',
      country: 'FR',
    };
    const backend = cmcic({
      tpe: '1234567',
      key: KEY,
      company: 'monSite1',
      orderContext: () => ({ billing }),
    });
    const payment = makePayment();
    const { redirect } = await backend.prepare(payment, makeContext([payment]));
    if (redirect.method !== 'POST') throw new Error('expected a form');
    expect(redirect.fields.contexte_commande).toBe(
      'eyJiaWxsaW5nIjp7ImFkZHJlc3NMaW5lMSI6IjE4IHJ1ZSBkZSBsJ2FkcmVzc2UiLCJjaXR5IjoiUGFyaXMiLCJwb3N0YWxDb2RlIjoiNzUwMDAiLCJjb3VudHJ5IjoiRlIifX0=',
    );
    const withAccent = cmcic({
      tpe: '1234567',
      key: KEY,
      company: 'monSite1',
      orderContext: () => ({ billing: { city: 'Orléans' } }),
    });
    const other = await withAccent.prepare(payment, makeContext([payment]));
    if (other.redirect.method !== 'POST') throw new Error('expected a form');
    const bytes = Uint8Array.from(atob(other.redirect.fields.contexte_commande ?? ''), (c) =>
      c.charCodeAt(0),
    );
    expect(new TextDecoder().decode(bytes)).toBe('{"billing":{"city":"Orléans"}}');
  });

  it('builds a legacy form with the options field and forcesaisiecb', async () => {
    const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', macScheme: 'legacy' });
    const payment = makePayment({ order: { forcesaisiecb: true }, buyer: { customerId: 'client 1' } });
    const { redirect } = await backend.prepare(payment, makeContext([payment]));
    if (redirect.method !== 'POST') throw new Error('expected a form');
    expect(redirect.fields.options).toMatch(/^aliascb=c[0-9a-f]{40}&forcesaisiecb=1$/);
    expect(redirect.fields.aliascb).toBeUndefined();
    expect(redirect.fields.contexte_commande).toBeUndefined();
    expect(redirect.fields.lgue).toBe('FR');
    expect(redirect.fields.mail).toBeUndefined();
    expect(await verifyMac(KEY, redirect.fields, { scheme: 'legacy', direction: 'request' })).toBe(true);
  });

  it('keeps the reference within the scheme limit and unique per payment', async () => {
    expect(() =>
      cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', macScheme: 'legacy', referenceLength: 13 }),
    ).toThrow(/referenceLength: at most 12 in the legacy scheme/);
    const long = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', referenceLength: 50 });
    const short = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1' });
    const references = new Set<string>();
    for (const id of ['pay_a1', 'pay_a2', 'pay-a1', 'paya1']) {
      const payment = makePayment({ id });
      const { redirect } = await short.prepare(payment, makeContext([payment]));
      if (redirect.method !== 'POST') throw new Error('expected a form');
      expect(redirect.fields.reference).toMatch(/^[A-Za-z0-9]{1,12}$/);
      references.add(redirect.fields.reference as string);
    }
    expect(references.size).toBe(4);
    const payment = makePayment();
    const { redirect } = await long.prepare(payment, makeContext([payment]));
    if (redirect.method !== 'POST') throw new Error('expected a form');
    expect(redirect.fields.reference).toMatch(/^[A-Za-z0-9]{50}$/);
  });

  it('picks lgue, mail and aliascb from the payment, within their formats', async () => {
    const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', language: 'DE' });
    const fieldsOf = async (overrides: Parameters<typeof makePayment>[0]) => {
      const payment = makePayment(overrides);
      const { redirect } = await backend.prepare(payment, makeContext([payment]));
      if (redirect.method !== 'POST') throw new Error('expected a form');
      expect(await verifyMac(KEY, redirect.fields, { scheme: 'current', direction: 'request' })).toBe(true);
      return redirect.fields;
    };
    const polish = await fieldsOf({
      buyer: {
        language: 'pl',
        email: 'élodie@exemple.fr',
        customerId: 'c1',
        billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
      },
    });
    expect(polish.lgue).toBe('DE');
    expect(polish.mail).toBeUndefined();
    const japanese = await fieldsOf({
      buyer: {
        language: 'ja-JP',
        billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
      },
      order: { aliascb: 'vip7' },
    });
    expect(japanese.lgue).toBe('JA');
    expect(japanese.aliascb).toBe('vip7');
    expect(japanese.forcesaisiecb).toBeUndefined();
    const noAlias = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', alias: false });
    const payment = makePayment();
    const { redirect } = await noAlias.prepare(payment, makeContext([payment]));
    if (redirect.method !== 'POST') throw new Error('expected a form');
    expect(redirect.fields.aliascb).toBeUndefined();
  });

  it('refuses a currency the terminal is not configured for', async () => {
    const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1' });
    const payment = makePayment({ currency: 'USD' });
    await expect(backend.prepare(payment, makeContext([payment]))).rejects.toMatchObject({
      code: 'UNSUPPORTED_CURRENCY',
    });
  });
});

describe('return page and setup', () => {
  const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1' });

  it('gives only a hint from the browser return', async () => {
    const message = {
      ...inbound(new Uint8Array()),
      method: 'GET',
      url: 'https://shop.example/pay/return/cmcic/p?result=ok',
    };
    expect(await backend.handleReturn(message)).toEqual({ hint: 'success' });
  });

  it('tells where the return interface is', () => {
    const setup = backend.setupInstructions({
      baseUrl: 'http://shop.example:8080/pay',
      notifyUrl: 'http://shop.example:8080/pay/notify/cmcic',
      returnUrl: 'http://shop.example:8080/pay/return/cmcic/{paymentId}',
    });
    expect(setup.urls).toEqual([
      {
        label: expect.stringContaining('Return interface URL'),
        url: 'http://shop.example:8080/pay/notify/cmcic',
      },
    ]);
    expect(setup.warnings.join(' ')).toMatch(/not HTTPS.*port 8080/);
    expect(JSON.stringify(setup)).not.toContain(KEY);
  });
});
