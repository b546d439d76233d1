import { hmac, toHex } from '@paybridge/core/kit';
import { describe, expect, it } from 'vitest';
import { cmcic } from '../src/cmcic';
import { cmcicKey } from '../src/lib/key';
import {
  bankEncode,
  inbound,
  KEY,
  KIT_RETURN,
  makeContext,
  makePayment,
  signedReturn,
} from './support/fixtures';

describe('return interface', () => {
  const payment = makePayment({
    externalId: 'REF0001',
    brokerData: { cmcicRequest: { reference: 'REF0001', alias: 'client1' } },
  });
  const base = {
    TPE: '1234567',
    date: '15/01/2024_a_11:02:03',
    montant: '19.99EUR',
    reference: 'REF0001',
    'texte-libre': 'Commande',
    cvx: 'oui',
    vld: '1228',
    brand: 'VI',
    numauto: '000000',
    modepaiement: 'CB',
  };

  for (const scheme of ['current', 'legacy'] as const) {
    describe(`${scheme} scheme`, () => {
      const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', macScheme: scheme });

      it('acknowledges a valid payetest with cdr=0 and reports the capture', async () => {
        const body = await signedReturn(scheme, { ...base, 'code-retour': 'payetest' });
        const outcome = await backend.handleNotification(inbound(body), makeContext([payment]));
        expect(outcome.ack).toEqual({
          status: 200,
          headers: { 'content-type': 'text/plain', 'cache-control': 'no-store', pragma: 'no-cache' },
          body: 'version=2\ncdr=0\n',
        });
        if (outcome.verdict !== 'verified') throw new Error(outcome.verdict);
        const facts = outcome.updates[0]?.facts ?? [];
        expect(outcome.updates[0]?.paymentId).toBe(payment.id);
        expect(facts[1]).toEqual({
          type: 'captured',
          eventId: 'REF0001:payetest:15/01/2024_a_11:02:03',
          transactionId: 'REF0001@15/01/2024_a_11:02:03',
          captureId: 'REF0001',
          amount: 1999,
          currency: 'EUR',
        });
        expect(facts[0]).toMatchObject({
          type: 'broker_data',
          data: { cmcic: { brand: 'VI', cvvEntered: true } },
        });
      });

      it('keeps a refusal that arrives after the payment apart from the paying attempt', async () => {
        const paid = makePayment({ ...payment, status: 'paid', amountPaid: 1999 });
        const body = await signedReturn(scheme, {
          ...base,
          'code-retour': 'Annulation',
          motifrefus: 'Refus',
        });
        const outcome = await backend.handleNotification(inbound(body), makeContext([paid]));
        if (outcome.verdict !== 'verified') throw new Error(outcome.verdict);
        const data = outcome.updates[0]?.facts[0];
        expect(data).toMatchObject({ type: 'broker_data', data: { cmcicLateRefusal: { brand: 'VI' } } });
        expect(data?.type === 'broker_data' && 'cmcic' in data.data).toBe(false);
      });

      it('answers cdr=1 to a bad MAC and changes nothing', async () => {
        const body = await signedReturn(
          scheme,
          { ...base, 'code-retour': 'payetest' },
          `${'0'.repeat(38)}P0`,
        );
        const outcome = await backend.handleNotification(inbound(body), makeContext([payment]));
        expect(outcome).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE' });
        expect(outcome.ack?.body).toBe('version=2\ncdr=1\n');
      });

      it('answers cdr=1 to a tampered amount', async () => {
        const body = new TextDecoder()
          .decode(await signedReturn(scheme, { ...base, 'code-retour': 'payetest' }))
          .replace('montant=19%2e99EUR', 'montant=1%2e99EUR');
        const outcome = await backend.handleNotification(
          inbound(new TextEncoder().encode(body)),
          makeContext([payment]),
        );
        expect(outcome).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE' });
      });

      it('acknowledges a refusal with cdr=0 and a failed fact with structured fraud data', async () => {
        const body = await signedReturn(scheme, {
          ...base,
          'code-retour': 'Annulation',
          numauto: '',
          motifrefus: 'filtrage',
          filtragecause: '4-',
          filtragevaleur: 'FRA-',
        });
        const outcome = await backend.handleNotification(inbound(body), makeContext([payment]));
        expect(outcome.ack?.body).toBe('version=2\ncdr=0\n');
        if (outcome.verdict !== 'verified') throw new Error(outcome.verdict);
        const [data, failed] = outcome.updates[0]?.facts ?? [];
        expect(failed).toEqual({
          type: 'failed',
          eventId: 'REF0001:annulation:15/01/2024_a_11:02:03',
          transactionId: 'REF0001@15/01/2024_a_11:02:03',
          // Legacy: the fraud fields are outside the MAC, so they never make the reason.
          reason:
            scheme === 'legacy' ? 'payment refused: filtrage' : 'payment refused: filtrage, card_country',
        });
        expect(data).toMatchObject({
          type: 'broker_data',
          data: {
            cmcic: {
              refusalReason: 'filtrage',
              fraud: { mode: 'blocked', hits: [{ code: 4, cause: 'card_country', value: 'FRA' }] },
              unauthenticatedFields:
                scheme === 'legacy' ? ['modepaiement', 'filtragecause', 'filtragevaleur'] : [],
            },
          },
        });
      });
    });
  }

  const backend = cmcic({ tpe: '1234567', key: KEY, company: 'monSite1' });

  it('verifies over every received field, including ones it does not know', async () => {
    const body = await signedReturn('current', {
      ...base,
      'code-retour': 'paiement',
      futurefield: 'x',
      veres: '',
    });
    const outcome = await backend.handleNotification(inbound(body), makeContext([payment]));
    expect(outcome.verdict).toBe('verified');
    const text = new TextDecoder().decode(body).replace('futurefield=x', 'futurefield=y');
    const tampered = await backend.handleNotification(
      inbound(new TextEncoder().encode(text)),
      makeContext([payment]),
    );
    expect(tampered).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE' });
  });

  it('verifies the kit sample return with its published-style MAC (§4.2 vector), upper or lower case', async () => {
    const kitPayment = makePayment({ id: 'pay_kit', externalId: 'ref143106', amount: 12345 });
    for (const MAC of [
      '93d7baa36d7fc6ae3564205ff982d454e89b9d3e',
      '93D7BAA36D7FC6AE3564205FF982D454E89B9D3E',
    ]) {
      const outcome = await backend.handleNotification(
        inbound(bankEncode({ ...KIT_RETURN, MAC })),
        makeContext([kitPayment]),
      );
      expect(outcome.ack?.body).toBe('version=2\ncdr=0\n');
      if (outcome.verdict !== 'verified') throw new Error(outcome.verdict);
      expect(outcome.updates[0]?.facts[1]).toMatchObject({
        type: 'captured',
        amount: 12345,
        currency: 'EUR',
      });
    }
    const wrong = await backend.handleNotification(
      inbound(bankEncode({ ...KIT_RETURN, MAC: '93d7baa36d7fc6ae3564205ff982d454e89b9d3f' })),
      makeContext([kitPayment]),
    );
    expect(wrong).toMatchObject({ code: 'INVALID_SIGNATURE', ack: { body: 'version=2\ncdr=1\n' } });
  });

  it('records express payment data', async () => {
    const body = await signedReturn('current', {
      ...base,
      'code-retour': 'paiement',
      cbenregistree: '1',
      cbmasquee: '400000******0002',
    });
    const outcome = await backend.handleNotification(inbound(body), makeContext([payment], false));
    if (outcome.verdict !== 'verified') throw new Error(outcome.verdict);
    expect(outcome.updates[0]?.facts[0]).toMatchObject({
      data: { cmcic: { express: { alias: 'client1', cardStored: true, maskedCard: '400000******0002' } } },
    });
  });

  it('decodes the 3-D Secure result, hashing the Base64 exactly as received', async () => {
    const json =
      '{\n  "details": {"PARes": "Y", "VERes": "Y", "status3DS": 1},\n  "protocol": "3DSecure",\n  "status": "authenticated",\n  "version": "1.0.2"\n}';
    const body = await signedReturn('current', {
      ...base,
      'code-retour': 'paiement',
      authentification: btoa(json),
    });
    const outcome = await backend.handleNotification(inbound(body), makeContext([payment], false));
    if (outcome.verdict !== 'verified') throw new Error(outcome.verdict);
    expect(outcome.updates[0]?.facts[0]).toMatchObject({
      data: {
        cmcic: {
          authentication: {
            status: 'authenticated',
            protocol: '3DSecure',
            version: '1.0.2',
            details: { PARes: 'Y' },
          },
        },
      },
    });
  });

  it('treats payetest in live mode as an anomaly, not a payment', async () => {
    const body = await signedReturn('current', { ...base, 'code-retour': 'payetest' });
    const outcome = await backend.handleNotification(inbound(body), makeContext([payment], false));
    expect(outcome.ack?.body).toBe('version=2\ncdr=0\n');
    if (outcome.verdict !== 'verified') throw new Error(outcome.verdict);
    expect(outcome.updates[0]?.facts.map((f) => f.type)).toEqual(['broker_data']);
    expect(outcome.anomalies?.[0]?.code).toBe('ENVIRONMENT_MISMATCH');
  });

  it('refuses instalment returns (paybridge never requests a split schedule) with cdr=0', async () => {
    const ctx = makeContext([payment], false);
    for (const fields of [
      { ...base, 'code-retour': 'paiement', montantech: '5EUR' },
      { ...base, 'code-retour': 'paiement_pf2', montantech: '4.99EUR' },
      { ...base, 'code-retour': 'Annulation_pf3' },
    ]) {
      const outcome = await backend.handleNotification(inbound(await signedReturn('current', fields)), ctx);
      expect(outcome).toMatchObject({
        verdict: 'rejected',
        code: 'IMPOSSIBLE_FACT',
        paymentId: payment.id,
        ack: { body: 'version=2\ncdr=0\n' },
      });
    }
  });

  it('acknowledges an unknown reference (sealed by the bank) without changing anything', async () => {
    const body = await signedReturn('current', { ...base, reference: 'OTHER', 'code-retour': 'paiement' });
    const outcome = await backend.handleNotification(inbound(body), makeContext([payment]));
    expect(outcome).toMatchObject({
      verdict: 'rejected',
      code: 'UNKNOWN_PAYMENT',
      ack: { body: 'version=2\ncdr=0\n' },
    });
  });

  it('refuses an unknown code-retour, another terminal and duplicated fields', async () => {
    const ctx = makeContext([payment]);
    const unknown = await signedReturn('current', { ...base, 'code-retour': 'peutetre' });
    expect(await backend.handleNotification(inbound(unknown), ctx)).toMatchObject({
      code: 'MALFORMED_NOTIFICATION',
      ack: { body: 'version=2\ncdr=1\n' },
    });
    const other = await signedReturn('current', { ...base, TPE: '7654321', 'code-retour': 'paiement' });
    expect(await backend.handleNotification(inbound(other), ctx)).toMatchObject({
      code: 'RECEIVER_MISMATCH',
    });
    const body = new TextDecoder().decode(
      await signedReturn('current', { ...base, 'code-retour': 'paiement' }),
    );
    const dup = new TextEncoder().encode(`${body}&reference=REF0002`);
    expect(await backend.handleNotification(inbound(dup), ctx)).toMatchObject({
      code: 'MALFORMED_NOTIFICATION',
    });
  });

  it('accepts the GET replay link of the bank alert e-mail', async () => {
    const body = new TextDecoder().decode(
      await signedReturn('current', { ...base, 'code-retour': 'paiement' }),
    );
    const message = {
      ...inbound(new Uint8Array()),
      method: 'GET',
      url: `https://shop.example/pay/notify/cmcic?${body}`,
    };
    expect((await backend.handleNotification(message, makeContext([payment]))).verdict).toBe('verified');
  });

  it('hashes the exact received bytes, even when they are not UTF-8', async () => {
    // A latin-1 "é" (0xE9) as a PHP site might send it: the MAC is over that byte, not U+FFFD.
    const fields = { ...base, 'texte-libre': 'caf\u00e9', 'code-retour': 'paiement' };
    const source = Object.entries(fields)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('*');
    const bytes = Uint8Array.from(source, (c) => c.charCodeAt(0));
    const mac = toHex(await hmac('SHA-1', cmcicKey(KEY), bytes));
    const body = new TextDecoder()
      .decode(bankEncode({ ...fields, 'texte-libre': 'cafe', MAC: mac }))
      .replace('texte-libre=cafe', 'texte-libre=caf%e9');
    const outcome = await backend.handleNotification(
      inbound(new TextEncoder().encode(body)),
      makeContext([payment]),
    );
    expect(outcome.verdict).toBe('verified');
  });
});
