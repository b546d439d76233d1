import { type BackendContext, type Payment, silentLogger } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { bankMacSource } from '../src/lib/bank-api';
import { cmcicKey } from '../src/lib/key';
import { macOfBytes } from '../src/lib/mac';
import {
  cancelPayment,
  capturePayment,
  type OperationsConfig,
  refundPayment,
  type TerminalMode,
} from '../src/lib/operations';
import { KEY, makePayment } from './support/fixtures';

// The operations against a scripted bank: what is sent (fields, MAC, URL) and how each answer is read.
function bank(answers: string[]) {
  const sent: Array<{ url: string; fields: Record<string, string> }> = [];
  const ctx: BackendContext = {
    testMode: true,
    endpoint: 'https://p.monetico-services.com/test',
    baseUrl: 'https://shop.example/pay',
    notifyUrl: 'https://shop.example/pay/notify/cmcic',
    returnUrl: (id) => `https://shop.example/pay/return/cmcic/${id}`,
    clientIp: null,
    now: () => new Date('2026-12-06T14:05:09Z'),
    logger: silentLogger,
    fetch: async (url, init) => {
      sent.push({ url, fields: Object.fromEntries(new URLSearchParams(String(init.body))) });
      return new Response(answers.shift() ?? 'cdr=-1\nlib=probleme technique', {
        headers: { 'content-type': 'text/plain' },
      });
    },
  };
  return { ctx, sent };
}

const config = (mode: TerminalMode, scheme: 'current' | 'legacy' = 'current'): OperationsConfig => ({
  tpe: '1234567',
  company: 'monSite1',
  language: 'FR',
  timeZone: 'Europe/Paris',
  keyBytes: cmcicKey(KEY),
  scheme,
  mode,
});

const authorized = (overrides: Partial<Payment> = {}) =>
  makePayment({
    externalId: 'REF0001',
    amount: 10000,
    currency: 'EUR',
    status: 'authorized',
    amountAuthorized: 10000,
    brokerData: {
      cmcicRequest: { reference: 'REF0001', date: '03/12/2026:10:00:00' },
      cmcic: { date: '03/12/2026_a_10:01:30', authorisationNumber: '1234A6' },
    },
    ...overrides,
  });

describe('capture, cancel and recrédit', () => {
  it('captures the whole amount on a deferred terminal, sealed in the terminal scheme', async () => {
    for (const scheme of ['current', 'legacy'] as const) {
      const { ctx, sent } = bank(['version=1.0\nreference=REF0001\ncdr=1\nlib=paiement accepte\naut=654321']);
      const result = await capturePayment(authorized(), 10000, ctx, config('deferred', scheme));
      expect(sent[0]?.url).toBe('https://p.monetico-services.com/test/capture_paiement.cgi');
      const { MAC, ...fields } = sent[0]?.fields ?? {};
      expect(fields).toEqual({
        version: '3.0',
        TPE: '1234567',
        date: '06/12/2026:15:05:09',
        date_commande: '03/12/2026',
        montant: '100.00EUR',
        montant_a_capturer: '100.00EUR',
        montant_deja_capture: '0.00EUR',
        montant_restant: '0.00EUR',
        reference: 'REF0001',
        'texte-libre': '',
        lgue: 'FR',
        societe: 'monSite1',
      });
      const source = new TextEncoder().encode(bankMacSource('capture', fields, scheme));
      expect(MAC).toBe(await macOfBytes(cmcicKey(KEY), source));
      expect(result.facts).toEqual([
        {
          type: 'captured',
          eventId: 'REF0001:capture:10000',
          captureId: 'REF0001',
          amount: 10000,
          currency: 'EUR',
        },
      ]);
      expect(result.brokerData).toEqual({
        cmcicCapture: { date: '06/12/2026', amount: 10000, authorisationNumber: '654321' },
      });
    }
  });

  it('a partial terminal captures less, then releases the rest (0 / captured / 0)', async () => {
    const { ctx, sent } = bank(['cdr=1\nlib=paiement accepte\naut=1', 'cdr=1\nlib=commande annulee']);
    const result = await capturePayment(authorized(), 6200, ctx, config('partial'));
    expect(
      sent.map((call) => [
        call.fields.montant_a_capturer,
        call.fields.montant_deja_capture,
        call.fields.montant_restant,
      ]),
    ).toEqual([
      ['62.00EUR', '0.00EUR', '38.00EUR'],
      ['0.00EUR', '62.00EUR', '0.00EUR'],
    ]);
    expect(result.facts[0]).toMatchObject({ type: 'captured', amount: 6200, partial: true });
    expect(result.brokerData?.cmcicCapture).toMatchObject({ remainderReleased: true });
  });

  it('reads refusals and errors: refused is BROKER_ERROR, busy is BROKER_UNAVAILABLE, a lost answer retried is done', async () => {
    const refused = bank(['cdr=0\nlib=autorisation refusee\nphonie=oui']);
    await expect(capturePayment(authorized(), 10000, refused.ctx, config('deferred'))).rejects.toMatchObject({
      code: 'BROKER_ERROR',
      message: expect.stringMatching(/autorisation refusee/),
    });
    const busy = bank(['cdr=-1\nlib=autre traitement en cours']);
    await expect(capturePayment(authorized(), 10000, busy.ctx, config('deferred'))).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    const again = bank(['cdr=0\nlib=paiement deja accepte']);
    expect((await capturePayment(authorized(), 10000, again.ctx, config('deferred'))).facts[0]).toMatchObject(
      {
        type: 'captured',
      },
    );
    await expect(capturePayment(authorized(), 6200, bank([]).ctx, config('deferred'))).rejects.toMatchObject({
      code: 'CAPABILITY_NOT_SUPPORTED',
    });
  });

  it('cancels an authorisation with a capture of nothing, nothing left', async () => {
    const { ctx, sent } = bank(['cdr=1\nlib=commande annulee']);
    const result = await cancelPayment(authorized(), ctx, config('deferred'));
    expect([
      sent[0]?.fields.montant_a_capturer,
      sent[0]?.fields.montant_deja_capture,
      sent[0]?.fields.montant_restant,
    ]).toEqual(['0.00EUR', '0.00EUR', '0.00EUR']);
    expect(result.facts).toEqual([
      { type: 'failed', eventId: 'REF0001:cancel', reason: 'Cancelled by the merchant' },
    ]);
    await expect(cancelPayment(authorized({ status: 'new' }), ctx, config('deferred'))).rejects.toMatchObject(
      {
        code: 'INVALID_STATE',
      },
    );
  });

  it('refunds with the authorisation, the collection date and what the bank can still refund', async () => {
    const paid = authorized({
      status: 'partially_refunded',
      amountAuthorized: 0,
      amountPaid: 10000,
      amountRefunded: 1000,
    });
    const { ctx, sent } = bank(['version=1.0\nreference=REF0001\ncdr=0\nlib=recredit effectue']);
    const result = await refundPayment(
      paid,
      { refundId: 'rfd_1', amount: 3200 },
      ctx,
      config('immediate', 'legacy'),
    );
    expect(sent[0]?.url).toBe('https://p.monetico-services.com/test/recredit_paiement.cgi');
    expect(sent[0]?.fields).toMatchObject({
      date_commande: '03/12/2026',
      date_remise: '03/12/2026',
      num_autorisation: '1234A6',
      montant: '100.00EUR',
      montant_recredit: '32.00EUR',
      montant_possible: '90.00EUR',
    });
    expect(result.facts).toEqual([
      {
        type: 'refunded',
        eventId: 'REF0001:recredit:rfd_1',
        refundId: 'rfd_1',
        amount: 3200,
        currency: 'EUR',
      },
    ]);
  });

  it('a retried refund refused for its amounts (-35) stays unknown, a first one is refused', async () => {
    const paid = authorized({ status: 'paid', amountAuthorized: 0, amountPaid: 10000 });
    await expect(
      refundPayment(
        paid,
        { refundId: 'rfd_1', amount: 100 },
        bank(['cdr=-35\nlib=Les montants transmis sont incorrects']).ctx,
        config('immediate'),
      ),
    ).rejects.toMatchObject({ code: 'BROKER_ERROR' });
    const retried = {
      ...paid,
      refunds: [
        {
          id: 'rfd_1',
          kind: 'refund' as const,
          amount: 100,
          status: 'pending' as const,
          createdAt: '',
          updatedAt: '',
        },
      ],
    } as Payment;
    await expect(
      refundPayment(
        retried,
        { refundId: 'rfd_1', amount: 100 },
        bank(['cdr=-35\nlib=x']).ctx,
        config('immediate'),
      ),
    ).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
  });
});
