import { describe, expect, it } from 'vitest';
import { createSandbox, manualClock } from '../src/index';
import { BASE_URL, BUY_NOW, fieldsOf, setup } from '../src/paypal/test-kit';
import { nvp, pay, SIGNATURE_AUTH } from './paypal-nvp-kit';

const DAY = 24 * 3600 * 1000;
const refund = (txnId: string, extra: Record<string, string> = {}) => ({
  METHOD: 'RefundTransaction',
  TRANSACTIONID: txnId,
  ...extra,
});

describe('RefundTransaction (paypal-api.md §5)', () => {
  it('refunds in full: a new 17-char id, gross/fee/net, and the Refunded IPN on the sandbox clock (§5.1)', async () => {
    const { sandbox, received } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    await sandbox.flush();
    received.length = 0;
    const answer = await nvp(sandbox, refund(txnId, { REFUNDTYPE: 'Full' }));
    expect(answer.fields).toMatchObject({
      ACK: 'Success',
      GROSSREFUNDAMT: '10.00',
      FEEREFUNDAMT: '0.84',
      NETREFUNDAMT: '9.16',
      TOTALREFUNDEDAMT: '10.00',
      CURRENCYCODE: 'EUR',
      REFUNDSTATUS: 'instant',
      PENDINGREASON: 'none',
    });
    const refundId = answer.fields.REFUNDTRANSACTIONID ?? '';
    expect(refundId).toMatch(/^[A-Z0-9]{17}$/);
    expect(refundId).not.toBe(txnId);
    expect(sandbox.paypal.transactions().find((tx) => tx.txnId === txnId)?.status).toBe('Refunded');
    // Nothing is posted before the queue runs; the IPN goes out at the next flush.
    expect(received).toHaveLength(0);
    await sandbox.flush();
    expect(received).toHaveLength(1);
    const ipn = fieldsOf(received[0]?.text ?? '');
    expect(received[0]?.url).toBe(BUY_NOW.notify_url);
    expect(ipn).toMatchObject({
      payment_status: 'Refunded',
      txn_id: refundId,
      parent_txn_id: txnId,
      reason_code: 'refund',
      mc_gross: '-10.00',
      mc_fee: '-0.84',
      invoice: 'INV-1',
      custom: 'pay_123',
    });
  });

  it('defaults to a full refund without REFUNDTYPE', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const answer = await nvp(sandbox, refund(txnId));
    expect(answer.fields).toMatchObject({ ACK: 'Success', GROSSREFUNDAMT: '10.00' });
  });

  it('refunds in parts until nothing remains; then over-refund, full-after-partial and already-refunded fail (10009)', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const partial = (AMT: string) => refund(txnId, { REFUNDTYPE: 'Partial', AMT, CURRENCYCODE: 'EUR' });
    const first = await nvp(sandbox, partial('4.00'));
    expect(first.fields).toMatchObject({ ACK: 'Success', GROSSREFUNDAMT: '4.00', TOTALREFUNDEDAMT: '4.00' });
    const full = await nvp(sandbox, refund(txnId, { REFUNDTYPE: 'Full' }));
    expect(full.fields).toMatchObject({ ACK: 'Failure', L_ERRORCODE0: '10009' });
    expect(full.fields.L_LONGMESSAGE0).toMatch(/full refund after a partial/);
    const over = await nvp(sandbox, partial('6.01'));
    expect(over.fields).toMatchObject({ ACK: 'Failure', L_ERRORCODE0: '10009' });
    expect(over.fields.L_LONGMESSAGE0).toMatch(/remaining amount/);
    const overOriginal = await nvp(sandbox, partial('10.01'));
    expect(overOriginal.fields.L_LONGMESSAGE0).toMatch(/original transaction amount/);
    const rest = await nvp(sandbox, partial('6.00'));
    expect(rest.fields).toMatchObject({ ACK: 'Success', TOTALREFUNDEDAMT: '10.00' });
    const again = await nvp(sandbox, partial('1.00'));
    expect(again.fields).toMatchObject({ ACK: 'Failure', L_ERRORCODE0: '10009' });
    expect(again.fields.L_LONGMESSAGE0).toMatch(/already been fully refunded/);
    const refunds = sandbox.paypal.transactions().filter((tx) => tx.kind === 'refund');
    expect(refunds.map((tx) => tx.amount)).toEqual(['-4.00', '-6.00']);
  });

  it('refuses caller mistakes with 10004 and a currency mismatch (CURRENCYCODE defaults to USD) with 10009', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const cases: Array<[Record<string, string>, string]> = [
      [{ REFUNDTYPE: 'Full', AMT: '1.00' }, '10004'],
      [{ REFUNDTYPE: 'Partial', CURRENCYCODE: 'EUR' }, '10004'],
      [{ REFUNDTYPE: 'Partial', AMT: '0.00', CURRENCYCODE: 'EUR' }, '10004'],
      [{ REFUNDTYPE: 'Partial', AMT: '1,00', CURRENCYCODE: 'EUR' }, '10004'],
      [{ REFUNDTYPE: 'Partial', AMT: '1.001', CURRENCYCODE: 'EUR' }, '10004'],
      [{ REFUNDTYPE: 'Sideways' }, '10004'],
      [{ REFUNDTYPE: 'Partial', AMT: '1.00' }, '10009'],
      [{ REFUNDTYPE: 'Partial', AMT: '1.00', CURRENCYCODE: 'USD' }, '10009'],
      [{ NOTE: 'x'.repeat(256) }, '10004'],
    ];
    for (const [extra, code] of cases) {
      const answer = await nvp(sandbox, refund(txnId, extra));
      expect([extra, answer.fields.L_ERRORCODE0]).toEqual([extra, code]);
    }
    expect(sandbox.paypal.transactions().filter((tx) => tx.kind === 'refund')).toEqual([]);
  });

  it('refuses a refund of a refund, of a pending payment, and after 180 days (10009)', async () => {
    const { sandbox } = setup();
    const pending = await pay(sandbox, BUY_NOW, 'pending');
    expect((await nvp(sandbox, refund(pending))).fields.L_ERRORCODE0).toBe('10009');
    const txnId = await pay(sandbox, BUY_NOW);
    const first = await nvp(
      sandbox,
      refund(txnId, { REFUNDTYPE: 'Partial', AMT: '1.00', CURRENCYCODE: 'EUR' }),
    );
    const ofRefund = await nvp(sandbox, refund(first.fields.REFUNDTRANSACTIONID ?? ''));
    expect(ofRefund.fields.L_LONGMESSAGE0).toBe('You can not refund this type of transaction');
    sandbox.clock.advance(180 * DAY + 1);
    const late = await nvp(
      sandbox,
      refund(txnId, { REFUNDTYPE: 'Partial', AMT: '1.00', CURRENCYCODE: 'EUR' }),
    );
    expect(late.fields).toMatchObject({ ACK: 'Failure', L_ERRORCODE0: '10009' });
    expect(late.fields.L_LONGMESSAGE0).toMatch(/time limit/);
  });

  it('answers a repeated MSGSUBID with the earlier refund instead of refunding twice (VERSION ≥ 92)', async () => {
    const { sandbox, received } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    await sandbox.flush();
    received.length = 0;
    const request = refund(txnId, {
      REFUNDTYPE: 'Partial',
      AMT: '3.00',
      CURRENCYCODE: 'EUR',
      MSGSUBID: 'rf_123',
    });
    const first = await nvp(sandbox, request);
    const second = await nvp(sandbox, request);
    expect(first.fields.ACK).toBe('Success');
    expect(second.fields.ACK).toBe('Success');
    expect(second.fields.REFUNDTRANSACTIONID).toBe(first.fields.REFUNDTRANSACTIONID);
    expect(second.fields.MSGSUBID).toBe('rf_123');
    expect(second.fields.CORRELATIONID).not.toBe(first.fields.CORRELATIONID);
    expect(sandbox.paypal.transactions().filter((tx) => tx.kind === 'refund')).toHaveLength(1);
    await sandbox.flush();
    expect(received).toHaveLength(1);
    const other = await nvp(sandbox, { ...request, MSGSUBID: 'rf_124' });
    expect(other.fields.REFUNDTRANSACTIONID).not.toBe(first.fields.REFUNDTRANSACTIONID);
    expect((await nvp(sandbox, { ...request, MSGSUBID: 'x'.repeat(39) })).fields.L_ERRORCODE0).toBe('10004');
  });

  it('ignores MSGSUBID below VERSION 92, and leaves TOTALREFUNDEDAMT/REFUNDSTATUS to the versions that have them', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const request = refund(txnId, {
      REFUNDTYPE: 'Partial',
      AMT: '1.00',
      CURRENCYCODE: 'EUR',
      MSGSUBID: 'rf_1',
    });
    const old = { auth: { ...SIGNATURE_AUTH, VERSION: '65.0' } };
    const first = await nvp(sandbox, request, old);
    const second = await nvp(sandbox, request, old);
    expect(second.fields.REFUNDTRANSACTIONID).not.toBe(first.fields.REFUNDTRANSACTIONID);
    expect(first.fields.TOTALREFUNDEDAMT).toBeUndefined();
    expect(first.fields.REFUNDSTATUS).toBeUndefined();
    expect(first.fields.MSGSUBID).toBeUndefined();
  });
});

describe('RefundTransaction under concurrency and the delivery allow-list', () => {
  it('two concurrent calls with one MSGSUBID make one refund', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const request = refund(txnId, {
      REFUNDTYPE: 'Partial',
      AMT: '2.00',
      CURRENCYCODE: 'EUR',
      MSGSUBID: 'rf_same',
    });
    const answers = await Promise.all([nvp(sandbox, request), nvp(sandbox, request), nvp(sandbox, request)]);
    expect(new Set(answers.map((answer) => answer.fields.REFUNDTRANSACTIONID)).size).toBe(1);
    expect(sandbox.paypal.transactions().filter((tx) => tx.kind === 'refund')).toHaveLength(1);
  });

  it('the refund IPN to a notify_url outside the allow-list is refused, never called', async () => {
    const calls: string[] = [];
    const sandbox = createSandbox({
      baseUrl: BASE_URL,
      clock: manualClock(),
      deliveryAllowList: ['https://elsewhere.test/'],
      fetch: async (request) => {
        calls.push(request.url);
        return new Response('', { status: 200 });
      },
    });
    const txnId = await pay(sandbox, BUY_NOW);
    const answer = await nvp(sandbox, refund(txnId));
    expect(answer.fields.ACK).toBe('Success');
    await sandbox.flush();
    expect(calls).toEqual([]);
    const refundDeliveries = sandbox.queue.deliveries.filter((delivery) => delivery.label === 'ipn:Refunded');
    expect(refundDeliveries.map((delivery) => delivery.state)).toEqual(['refused']);
  });
});

describe('the reference’s refund example (paypal-api.md §5, 2007 guide)', () => {
  it('a 127.87 payment with a 4.01 fee refunds as GROSSREFUNDAMT=127.87, FEEREFUNDAMT=4.01, NETREFUNDAMT=123.86', async () => {
    const { sandbox } = setup({ fee: (gross) => (gross === 12787 ? 401 : 0) });
    const txnId = await pay(sandbox, { ...BUY_NOW, amount: '127.87', currency_code: 'USD' });
    const answer = await nvp(sandbox, refund(txnId));
    expect(answer.raw).toMatch(
      /^REFUNDTRANSACTIONID=[A-Z0-9]{17}&FEEREFUNDAMT=4%2e01&GROSSREFUNDAMT=127%2e87&NETREFUNDAMT=123%2e86&/,
    );
    expect(answer.fields).toMatchObject({ CURRENCYCODE: 'USD', ACK: 'Success' });
  });
});

describe('refundFee option (paypal-api.md §5: the fee may not be given back)', () => {
  it("with refundFee 'none' the refund keeps the fee: FEEREFUNDAMT=0.00, NET = GROSS, IPN mc_fee 0.00", async () => {
    const { sandbox, received } = setup({ refundFee: 'none' });
    const txnId = await pay(sandbox, BUY_NOW);
    await sandbox.flush();
    received.length = 0;
    const answer = await nvp(
      sandbox,
      refund(txnId, { REFUNDTYPE: 'Partial', AMT: '5.00', CURRENCYCODE: 'EUR' }),
    );
    expect(answer.fields).toMatchObject({
      GROSSREFUNDAMT: '5.00',
      FEEREFUNDAMT: '0.00',
      NETREFUNDAMT: '5.00',
    });
    await sandbox.flush();
    expect(fieldsOf(received[0]?.text ?? '')).toMatchObject({ mc_gross: '-5.00', mc_fee: '0.00' });
  });
});
