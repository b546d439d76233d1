import { describe, expect, it } from 'vitest';
import { BUY_NOW, setup } from '../src/paypal/test-kit';
import { nvp, pay } from './paypal-nvp-kit';

const DAY = 24 * 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('GetTransactionDetails over the ledger (paypal-api.md §3)', () => {
  it('describes a completed payment: receiver, payer, amounts, fee, invoice/custom, status', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const answer = await nvp(sandbox, { METHOD: 'GetTransactionDetails', TRANSACTIONID: txnId });
    expect(answer.fields).toMatchObject({
      ACK: 'Success',
      RECEIVEREMAIL: 'merchant@example.com',
      RECEIVERID: 'MERCHANT12345',
      TRANSACTIONID: txnId,
      TRANSACTIONTYPE: 'web-accept',
      PAYMENTTYPE: 'instant',
      AMT: '10.00',
      // 3.49 % of 10.00 rounded + 0.49
      FEEAMT: '0.84',
      CURRENCYCODE: 'EUR',
      PAYMENTSTATUS: 'Completed',
      PENDINGREASON: 'None',
      INVNUM: 'INV-1',
      CUSTOM: 'pay_123',
      EMAIL: 'buyer@example.com',
      ORDERTIME: iso(sandbox.clock.now()),
    });
    expect(answer.fields.PAYERID).toMatch(/^[A-Z0-9]{13}$/);
  });

  it('gives the pending reason in NVP spelling (hyphens) and the later settlement', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW, 'pending', 'multi_currency');
    const pending = await nvp(sandbox, { METHOD: 'GetTransactionDetails', TRANSACTIONID: txnId });
    expect(pending.fields).toMatchObject({ PAYMENTSTATUS: 'Pending', PENDINGREASON: 'multi-currency' });
    sandbox.paypal.completePending(txnId);
    const done = await nvp(sandbox, { METHOD: 'GetTransactionDetails', TRANSACTIONID: txnId });
    expect(done.fields).toMatchObject({ PAYMENTSTATUS: 'Completed', PENDINGREASON: 'None' });
  });

  it('shows the parent as Partially-Refunded then Refunded, and the refund with its parent and negative amounts', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    sandbox.paypal.refund(txnId, '4.00');
    const partly = await nvp(sandbox, { METHOD: 'GetTransactionDetails', TRANSACTIONID: txnId });
    expect(partly.fields.PAYMENTSTATUS).toBe('Partially-Refunded');
    sandbox.paypal.refund(txnId);
    const whole = await nvp(sandbox, { METHOD: 'GetTransactionDetails', TRANSACTIONID: txnId });
    expect(whole.fields.PAYMENTSTATUS).toBe('Refunded');
    const refund = sandbox.paypal.transactions().find((tx) => tx.kind === 'refund' && tx.amount === '-6.00');
    const answer = await nvp(sandbox, {
      METHOD: 'GetTransactionDetails',
      TRANSACTIONID: refund?.txnId ?? '',
    });
    expect(answer.fields).toMatchObject({
      PARENTTRANSACTIONID: txnId,
      AMT: '-6.00',
      PAYMENTSTATUS: 'Refunded',
      REASONCODE: 'refund',
      INVNUM: 'INV-1',
    });
  });

  it('refuses a missing (10004), malformed (10011), unknown or other account’s (10004) transaction id', async () => {
    const { sandbox } = setup({
      accounts: [
        { business: 'merchant@example.com', receiverId: 'MERCHANT12345' },
        { business: 'other@example.com', receiverId: 'OTHERMERCHANT' },
      ],
    });
    const theirs = await pay(sandbox, { ...BUY_NOW, business: 'other@example.com' });
    const cases: Array<[string, string]> = [
      ['', '10004'],
      ['short', '10011'],
      ['0123456789ABCDEFG', '10004'],
      [theirs, '10004'],
    ];
    for (const [id, code] of cases) {
      const answer = await nvp(sandbox, { METHOD: 'GetTransactionDetails', TRANSACTIONID: id });
      expect(answer.fields.ACK).toBe('Failure');
      expect(answer.fields.L_ERRORCODE0).toBe(code);
    }
  });
});

describe('TransactionSearch (paypal-api.md §4)', () => {
  it('finds a payment by invoice and date range, newest first, with fee and net', async () => {
    const { sandbox } = setup();
    const start = sandbox.clock.now();
    const first = await pay(sandbox, BUY_NOW);
    sandbox.clock.advance(DAY);
    const second = await pay(sandbox, { ...BUY_NOW, invoice: 'INV-2', amount: '20.00' });
    sandbox.clock.advance(DAY);
    const third = await pay(sandbox, BUY_NOW);
    const byInvoice = await nvp(sandbox, {
      METHOD: 'TransactionSearch',
      STARTDATE: iso(start),
      INVNUM: 'INV-1',
    });
    expect(byInvoice.fields.ACK).toBe('Success');
    expect([byInvoice.fields.L_TRANSACTIONID0, byInvoice.fields.L_TRANSACTIONID1]).toEqual([third, first]);
    expect(byInvoice.fields.L_TRANSACTIONID2).toBeUndefined();
    expect(byInvoice.fields).toMatchObject({
      L_TYPE0: 'Payment',
      L_STATUS0: 'Completed',
      L_AMT0: '10.00',
      L_FEEAMT0: '-0.84',
      L_NETAMT0: '9.16',
      L_CURRENCYCODE0: 'EUR',
      L_TIMEZONE0: 'GMT',
      L_EMAIL0: 'buyer@example.com',
    });
    const window = await nvp(sandbox, {
      METHOD: 'TransactionSearch',
      STARTDATE: iso(start + DAY / 2),
      ENDDATE: iso(start + DAY + DAY / 2),
    });
    expect(window.fields.L_TRANSACTIONID0).toBe(second);
    expect(window.fields.L_TRANSACTIONID1).toBeUndefined();
    const none = await nvp(sandbox, { METHOD: 'TransactionSearch', STARTDATE: iso(start), INVNUM: 'INV-9' });
    expect(none.fields.ACK).toBe('Success');
    expect(none.fields.L_TRANSACTIONID0).toBeUndefined();
  });

  it('lists refunds with the Refund class and requires a valid STARTDATE (10004)', async () => {
    const { sandbox } = setup();
    const start = sandbox.clock.now();
    const txnId = await pay(sandbox, BUY_NOW);
    sandbox.paypal.refund(txnId, '1.00');
    const refunds = await nvp(sandbox, {
      METHOD: 'TransactionSearch',
      STARTDATE: iso(start),
      TRANSACTIONCLASS: 'Refund',
    });
    expect(refunds.fields).toMatchObject({ L_TYPE0: 'Refund', L_AMT0: '-1.00' });
    expect(refunds.fields.L_TRANSACTIONID1).toBeUndefined();
    for (const STARTDATE of ['', '2026-12-01', 'yesterday']) {
      const answer = await nvp(sandbox, { METHOD: 'TransactionSearch', STARTDATE });
      expect(answer.fields.L_ERRORCODE0).toBe('10004');
    }
  });

  it('truncates at 100 hits with SuccessWithWarning 11002', async () => {
    const { sandbox } = setup();
    const start = sandbox.clock.now();
    const { notify_url: _none, ...silent } = BUY_NOW;
    for (let i = 0; i < 101; i++) await pay(sandbox, silent);
    const answer = await nvp(sandbox, { METHOD: 'TransactionSearch', STARTDATE: iso(start) });
    expect(answer.fields.ACK).toBe('SuccessWithWarning');
    expect(answer.fields).toMatchObject({ L_ERRORCODE0: '11002', L_SEVERITYCODE0: 'Warning' });
    expect(answer.fields.L_TRANSACTIONID99).toBeDefined();
    expect(answer.fields.L_TRANSACTIONID100).toBeUndefined();
  });
});
