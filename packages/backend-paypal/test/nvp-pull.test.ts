import { describe, expect, it } from 'vitest';
import { paypal } from '../src/paypal';
import { API, details, SHOP, setup, TXN } from './support/nvp-peer';

/** Credentials and the status pull through a bridge, against a scripted NVP peer. */
describe('PayPal NVP API (scripted peer)', () => {
  it('without credentials: no pull, no refund, setup instructions say what is missing', () => {
    const backend = paypal({ business: 'merchant@example.com' });
    expect(backend.capabilities).toMatchObject({ pull: false, refund: false, partialRefund: false });
    expect(backend.secrets).toEqual([]);
    const setup = backend.setupInstructions({
      baseUrl: SHOP,
      notifyUrl: `${SHOP}/n`,
      returnUrl: `${SHOP}/r`,
    });
    expect(setup.warnings.join(' ')).toMatch(/No API credentials.*refunds/);
  });

  it('refuses half credentials at creation, with the field', () => {
    expect(() => paypal({ business: 'merchant@example.com', api: { username: 'u', password: 'p' } })).toThrow(
      /api\.signature/,
    );
    expect(() => paypal({ business: 'merchant@example.com', api: { ...API, version: '84.0' } })).toThrow(
      /92/,
    );
  });

  it('pull by txn_id: the IPN event id, so a pull and the IPN of the same state count once', async () => {
    let paymentId = '';
    const t = setup(() => details(paymentId));
    paymentId = await t.start();
    expect(await t.ipn(paymentId, {})).toBe(200);
    expect((await t.get(paymentId)).status).toBe('paid');
    const synced = await t.bridge.sync(paymentId);
    expect(synced).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(synced.captures).toHaveLength(1);
    const call = t.calls[0] as URLSearchParams;
    expect(Object.fromEntries(call)).toMatchObject({
      METHOD: 'GetTransactionDetails',
      TRANSACTIONID: TXN,
      USER: API.username,
      SIGNATURE: API.signature,
      VERSION: '124.0',
    });
    // Secrets never reach the message log, raw or URL-encoded.
    const logged = JSON.stringify((await t.store.listMessages({ limit: 100 })).items);
    expect(logged).not.toContain(API.password);
    expect(logged).not.toContain(encodeURIComponent(API.password));
    expect(logged).not.toContain(API.signature);
    expect(logged).toContain('GetTransactionDetails');
  });

  it('a lost IPN: search by invoice, the first transaction proving money binds', async () => {
    let paymentId = '';
    const other = '9ZZ99999ZZ999999Z';
    const t = setup((fields) => {
      if (fields.get('METHOD') === 'TransactionSearch') {
        expect(fields.get('INVNUM')).toBe(paymentId);
        expect(fields.get('STARTDATE')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        return {
          ACK: 'Success',
          // Newest first: a refund, the paying transaction, a stranger's denied one before it.
          L_TRANSACTIONID0: 'REFUND0000000000R',
          L_TYPE0: 'Refund',
          L_AMT0: '-19.99',
          L_TIMESTAMP0: '2026-11-20T11:50:00Z',
          L_TRANSACTIONID1: TXN,
          L_TYPE1: 'Payment',
          L_AMT1: '19.99',
          L_TIMESTAMP1: '2026-11-20T11:40:00Z',
          L_TRANSACTIONID2: other,
          L_TYPE2: 'Payment',
          L_AMT2: '19.99',
          L_TIMESTAMP2: '2026-11-20T11:30:00Z',
        };
      }
      const id = fields.get('TRANSACTIONID');
      return id === other
        ? details(paymentId, { TRANSACTIONID: other, PAYMENTSTATUS: 'Denied' })
        : details(paymentId, { PAYMENTSTATUS: 'Partially-Refunded' });
    });
    paymentId = await t.start();
    const synced = await t.bridge.sync(paymentId);
    expect(synced).toMatchObject({ status: 'paid', externalId: TXN, amountPaid: 1999 });
    expect(t.calls.map((c) => c.get('TRANSACTIONID') ?? c.get('METHOD'))).toEqual([
      'TransactionSearch',
      other,
      TXN,
    ]);
    // The IPN that finally comes is the same event: nothing more.
    expect(await t.ipn(paymentId, {})).toBe(200);
    expect((await t.get(paymentId)).captures).toHaveLength(1);
  });

  it('a pulled transaction paid to someone else or for another amount credits nothing', async () => {
    let paymentId = '';
    let answer: Record<string, string> = {};
    const t = setup((fields) =>
      fields.get('METHOD') === 'TransactionSearch'
        ? { ACK: 'Success', L_TRANSACTIONID0: TXN, L_TYPE0: 'Payment', L_AMT0: '19.99' }
        : answer,
    );
    paymentId = await t.start();
    await t.ipn(paymentId, { payment_status: 'Pending', pending_reason: 'echeck' });
    answer = details(paymentId, { RECEIVERID: 'SOMEONEELSE12' });
    expect((await t.bridge.sync(paymentId)).status).toBe('pending');
    answer = details(paymentId, { AMT: '0.99' });
    expect((await t.bridge.sync(paymentId)).status).toBe('pending');
    answer = details(paymentId, { AMT: '1,999.00' });
    expect((await t.bridge.sync(paymentId)).status).toBe('pending');
    answer = details(paymentId);
    expect((await t.bridge.sync(paymentId)).status).toBe('paid');
  });
});
