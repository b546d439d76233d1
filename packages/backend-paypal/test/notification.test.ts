import type { NotificationOutcome, Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { paypal } from '../src/paypal';
import {
  encodeIpn,
  ipnRequest,
  type RecordedCall,
  testContext,
  testPayment,
  webAcceptIpn,
} from './support/fixtures';

const backend = paypal({
  business: 'merchant@example.com',
  receiverId: 'MERCHANT12345',
  receiverEmails: ['merchant@example.com'],
});

async function notify(
  pairs: Array<[string, string]>,
  payments: Payment[] = [testPayment()],
  respond?: (call: RecordedCall) => Response | Promise<Response>,
  ctxOverrides: Parameters<typeof testContext>[2] = {},
  instance = backend,
) {
  const ctx = testContext(payments, respond, ctxOverrides);
  const outcome = await instance.handleNotification(ipnRequest(encodeIpn(pairs)), ctx);
  return { outcome, ctx };
}

const facts = (outcome: NotificationOutcome) => (outcome.verdict === 'verified' ? outcome.updates : null);

describe('IPN verification', () => {
  it('posts back to ipnpb of the configured environment, whatever the message says', async () => {
    const sandbox = await notify(webAcceptIpn());
    expect(sandbox.ctx.calls[0]?.url).toBe('https://ipnpb.sandbox.paypal.com/cgi-bin/webscr');
    const live = await notify(webAcceptIpn({ test_ipn: null }), undefined, undefined, { testMode: false });
    expect(live.ctx.calls[0]?.url).toBe('https://ipnpb.paypal.com/cgi-bin/webscr');
  });

  it('posts back to the overridden endpoint, or to postbackEndpoint', async () => {
    const local = paypal({ business: 'merchant@example.com', endpoint: 'http://localhost:4000/paypal' });
    const ctx = { endpoint: 'http://localhost:4000/paypal' };
    expect((await notify(webAcceptIpn(), undefined, undefined, ctx, local)).ctx.calls[0]?.url).toBe(
      'http://localhost:4000/paypal/cgi-bin/webscr',
    );
    const proxied = paypal({
      business: 'merchant@example.com',
      postbackEndpoint: 'https://proxy.example/pp/',
    });
    expect((await notify(webAcceptIpn(), undefined, undefined, {}, proxied)).ctx.calls[0]?.url).toBe(
      'https://proxy.example/pp/cgi-bin/webscr',
    );
  });

  it('keeps a windows-1252 name byte-exact in the postback and decoded right in the facts', async () => {
    const pairs = webAcceptIpn();
    const { outcome, ctx } = await notify(pairs);
    expect(outcome.verdict).toBe('verified');
    const sent = new TextDecoder().decode(ctx.calls[0]?.body);
    expect(sent).toBe(`cmd=_notify-validate&${new TextDecoder().decode(encodeIpn(pairs))}`);
    expect(sent).toContain('first_name=Zo%EB&');
    expect(sent).toContain('last_name=%C6r%F8sk%F8bing&');
  });

  it('rejects INVALID without a change and answers 200', async () => {
    const { outcome } = await notify(webAcceptIpn(), undefined, () => new Response('INVALID'));
    expect(outcome).toMatchObject({ verdict: 'rejected', code: 'VERIFICATION_FAILED', ack: { status: 200 } });
  });

  it('asks PayPal to retry when the postback fails or times out', async () => {
    const down = await notify(webAcceptIpn(), undefined, () => new Response('<html>Fatal Failure</html>'));
    expect(down.outcome.verdict).toBe('retry');
    expect(down.ctx.calls).toHaveLength(2);
    const fast = paypal({ business: 'merchant@example.com', postbackTimeoutMs: 20, postbackAttempts: 1 });
    const hung = await notify(webAcceptIpn(), undefined, () => new Promise<Response>(() => {}), {}, fast);
    expect(hung.outcome).toMatchObject({ verdict: 'retry', message: expect.stringMatching(/timed out/) });
  });

  it('refuses a sandbox IPN on a live configuration and a live one on a test configuration, before any postback', async () => {
    const onLive = await notify(webAcceptIpn(), undefined, undefined, { testMode: false });
    expect(onLive.outcome).toMatchObject({ verdict: 'rejected', code: 'ENVIRONMENT_MISMATCH' });
    const onTest = await notify(webAcceptIpn({ test_ipn: null }));
    expect(onTest.outcome).toMatchObject({ verdict: 'rejected', code: 'ENVIRONMENT_MISMATCH' });
    const emptyOnLive = await notify(webAcceptIpn({ test_ipn: '' }), undefined, undefined, {
      testMode: false,
    });
    expect(emptyOnLive.outcome).toMatchObject({ verdict: 'rejected', code: 'ENVIRONMENT_MISMATCH' });
    expect([...onLive.ctx.calls, ...onTest.ctx.calls, ...emptyOnLive.ctx.calls]).toHaveLength(0);
  });

  it('refuses what is not a form POST', async () => {
    const ctx = testContext([testPayment()]);
    const body = encodeIpn(webAcceptIpn());
    const get = await backend.handleNotification(ipnRequest(body, { method: 'GET' }), ctx);
    const json = await backend.handleNotification(
      ipnRequest(body, { headers: new Headers({ 'content-type': 'application/json' }) }),
      ctx,
    );
    const empty = await backend.handleNotification(ipnRequest(new Uint8Array()), ctx);
    for (const outcome of [get, json, empty])
      expect(outcome).toMatchObject({ code: 'MALFORMED_NOTIFICATION' });
    expect(ctx.calls).toHaveLength(0);
  });
});

describe('Buy Now IPN mapping', () => {
  it('Completed → captured, event id txn_id:status', async () => {
    const { outcome } = await notify(webAcceptIpn());
    expect(facts(outcome)).toEqual([
      {
        paymentId: 'pay_0123456789abcdef',
        facts: [
          {
            type: 'captured',
            eventId: '61E67681CH3238416:Completed',
            captureId: '61E67681CH3238416',
            amount: 1999,
            currency: 'EUR',
          },
        ],
        // Binding: the capture binds the payment to its txn_id (the core stores it as externalId).
        transactionId: '61E67681CH3238416',
      },
    ]);
  });

  it('Pending → pending with the reason, under its own event id', async () => {
    const { outcome } = await notify(webAcceptIpn({ payment_status: 'Pending', pending_reason: 'echeck' }));
    expect(facts(outcome)?.[0]?.facts).toEqual([
      { type: 'pending', eventId: '61E67681CH3238416:Pending', reason: 'echeck' },
    ]);
  });

  it.each(['Denied', 'Failed', 'Voided', 'Expired'])('%s → failed', async (status) => {
    const { outcome } = await notify(webAcceptIpn({ payment_status: status }));
    expect(facts(outcome)?.[0]?.facts).toEqual([
      { type: 'failed', eventId: `61E67681CH3238416:${status}`, reason: status },
    ]);
  });

  it('Refunded → refunded |mc_gross| on the payment of parent_txn_id', async () => {
    const paid = testPayment({ externalId: '61E67681CH3238416' });
    const refund = webAcceptIpn({
      payment_status: 'Refunded',
      txn_id: '8RT44195DT8877742',
      parent_txn_id: '61E67681CH3238416',
      reason_code: 'refund',
      mc_gross: '-5.00',
      invoice: null,
      custom: null,
      txn_type: null,
    });
    const { outcome } = await notify(refund, [paid]);
    expect(facts(outcome)?.[0]?.facts).toEqual([
      {
        type: 'refunded',
        eventId: '8RT44195DT8877742:Refunded',
        refundId: '8RT44195DT8877742',
        amount: 500,
        currency: 'EUR',
      },
    ]);
  });

  it('Reversed → refunded as a reversal; Canceled_Reversal (either spelling) → reversal_cancelled', async () => {
    const base = { parent_txn_id: '61E67681CH3238416', txn_type: null };
    const reversed = await notify(
      webAcceptIpn({ ...base, payment_status: 'Reversed', txn_id: 'REV00000000000001', mc_gross: '-19.99' }),
    );
    expect(facts(reversed.outcome)?.[0]?.facts[0]).toMatchObject({
      type: 'refunded',
      amount: 1999,
      reversal: true,
    });
    for (const spelling of ['Canceled_Reversal', 'Canceled-Reversal']) {
      const cancelled = await notify(
        webAcceptIpn({ ...base, payment_status: spelling, txn_id: 'CAN00000000000001' }),
      );
      expect(facts(cancelled.outcome)?.[0]?.facts).toEqual([
        {
          type: 'reversal_cancelled',
          eventId: 'CAN00000000000001:Canceled_Reversal',
          cancellationId: 'CAN00000000000001',
          amount: 1999,
          currency: 'EUR',
        },
      ]);
    }
  });

  it('ignores statuses it does not map, with a 200', async () => {
    const { outcome } = await notify(webAcceptIpn({ payment_status: 'Processed' }));
    expect(outcome).toEqual({ verdict: 'verified', updates: [], ack: { status: 200 } });
  });
});

describe('checks after VERIFIED', () => {
  it.each([
    [{ receiver_id: 'THIEF00000000' }, 'RECEIVER_MISMATCH'],
    [{ receiver_email: 'thief@example.com' }, 'RECEIVER_MISMATCH'],
    [{ mc_currency: 'USD' }, 'CURRENCY_MISMATCH'],
    [{ mc_gross: '0.01' }, 'AMOUNT_MISMATCH'],
    [{ mc_gross: '19.98' }, 'AMOUNT_MISMATCH'],
    [{ mc_gross: '19.999' }, 'AMOUNT_MISMATCH'],
    [{ mc_gross: '-19.99' }, 'AMOUNT_MISMATCH'],
    [{ payment_status: 'Pending', mc_gross: '-19.99' }, 'AMOUNT_MISMATCH'],
    [{ mc_gross: null }, 'AMOUNT_MISMATCH'],
    [{ invoice: 'pay_unknown', custom: 'pay_unknown' }, 'UNKNOWN_PAYMENT'],
    [{ custom: 'pay_other' }, 'UNKNOWN_PAYMENT'],
    [{ txn_id: null }, 'MALFORMED_NOTIFICATION'],
  ])('%o → %s, no facts, 200', async (override, code) => {
    const { outcome } = await notify(webAcceptIpn(override));
    expect(outcome).toMatchObject({ verdict: 'rejected', code, ack: { status: 200 } });
  });

  it('applies them to refunds too (receiver, currency)', async () => {
    const refund = {
      payment_status: 'Refunded',
      txn_id: 'R0000000000000001',
      parent_txn_id: 'X',
      mc_gross: '-1.00',
    };
    expect((await notify(webAcceptIpn({ ...refund, receiver_id: 'THIEF00000000' }))).outcome).toMatchObject({
      code: 'RECEIVER_MISMATCH',
    });
    expect((await notify(webAcceptIpn({ ...refund, mc_currency: 'GBP' }))).outcome).toMatchObject({
      code: 'CURRENCY_MISMATCH',
    });
  });

  it('wants a negative mc_gross on refunds and reversals, a positive one on their cancellation', async () => {
    const base = { parent_txn_id: '61E67681CH3238416', txn_type: null, txn_id: 'R0000000000000003' };
    for (const [status, gross] of [
      ['Refunded', '5.00'],
      ['Reversed', '19.99'],
      ['Canceled_Reversal', '-19.99'],
      ['Refunded', '0.00'],
    ] as const) {
      const { outcome } = await notify(webAcceptIpn({ ...base, payment_status: status, mc_gross: gross }));
      expect(outcome).toMatchObject({ verdict: 'rejected', code: 'AMOUNT_MISMATCH', ack: { status: 200 } });
    }
  });

  it('never touches a payment of another backend', async () => {
    const { outcome } = await notify(webAcceptIpn(), [testPayment({ backend: 'payu' })]);
    expect(outcome).toMatchObject({ code: 'UNKNOWN_PAYMENT' });
  });
});
