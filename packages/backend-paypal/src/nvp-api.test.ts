import { createPaybridge, memoryStore, type Payment, silentLogger } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { encodeIpn, webAcceptIpn } from './lib/ipn-fixtures';
import { type PaypalSettings, paypal } from './paypal';

/**
 * The NVP API operations through a real bridge, against a scripted NVP peer: each call is recorded,
 * each answer is the script's. IPN postbacks answer VERIFIED.
 */
const SHOP = 'https://shop.test/pay';
const NVP = 'https://nvp.test/nvp';
const API = { username: 'api_user.example.com', password: 'PWD-s3cret+/=', signature: 'SIG.abc-DEF_123' };
const TXN = '1AB23456CD789012E';

type Script = (fields: URLSearchParams) => Record<string, string>;

function setup(script: Script, backend: Partial<PaypalSettings> = {}) {
  const calls: URLSearchParams[] = [];
  const store = memoryStore();
  let now = Date.UTC(2026, 10, 20, 12, 0, 0);
  const bridge = createPaybridge({
    baseUrl: SHOP,
    testMode: true,
    store,
    logger: silentLogger,
    now: () => new Date(now),
    backends: [
      paypal({
        business: 'merchant@example.com',
        receiverId: 'MERCHANT12345',
        receiverEmails: ['merchant@example.com'],
        api: { ...API, endpoint: NVP },
        ...backend,
      }),
    ],
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (request.url === NVP) {
        const fields = new URLSearchParams(await request.text());
        calls.push(fields);
        const answer = {
          TIMESTAMP: '2026-11-20T12:00:00Z',
          CORRELATIONID: 'c0ffee12345',
          VERSION: fields.get('VERSION') ?? '',
          BUILD: '1',
          ...script(fields),
        };
        return new Response(new URLSearchParams(answer).toString());
      }
      return new Response('VERIFIED');
    },
    orders: {
      resolve: (orderId) => ({
        amount: 1999,
        currency: 'EUR',
        description: `Order ${orderId}`,
        successUrl: 'https://shop.test/thanks',
        failureUrl: 'https://shop.test/sorry',
      }),
    },
  });
  const start = async () => {
    const response = await bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'paypal', orderId: 'order-1' }),
      }),
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { payment: { id: string } }).payment.id;
  };
  const ipn = async (paymentId: string, overrides: Record<string, string | null>) => {
    const response = await bridge.handler(
      new Request(`${SHOP}/notify/paypal`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new TextDecoder().decode(
          encodeIpn(
            webAcceptIpn({ invoice: paymentId, custom: paymentId, txn_id: TXN, test_ipn: '1', ...overrides }),
          ),
        ),
      }),
    );
    return response.status;
  };
  const get = async (id: string) => (await bridge.getPayment(id)) as Payment;
  return {
    bridge,
    store,
    calls,
    start,
    ipn,
    get,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const details = (paymentId: string, extra: Record<string, string> = {}) => ({
  ACK: 'Success',
  TRANSACTIONID: TXN,
  RECEIVERID: 'MERCHANT12345',
  RECEIVEREMAIL: 'merchant@example.com',
  INVNUM: paymentId,
  CUSTOM: paymentId,
  AMT: '19.99',
  CURRENCYCODE: 'EUR',
  PAYMENTSTATUS: 'Completed',
  PENDINGREASON: 'None',
  ...extra,
});

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

  it('partial then full refund: Partial with AMT and CURRENCYCODE, MSGSUBID; the refund IPN counts once', async () => {
    let paymentId = '';
    let n = 0;
    const t = setup((fields) => {
      n += 1;
      return {
        ACK: 'Success',
        REFUNDTRANSACTIONID: `REFUND${n}0000000000`.slice(0, 17),
        GROSSREFUNDAMT: fields.get('AMT') ?? '19.99',
        REFUNDSTATUS: 'Instant',
        PENDINGREASON: 'None',
      };
    });
    paymentId = await t.start();
    await t.ipn(paymentId, {});
    const partial = await t.bridge.refund(paymentId, { amount: 500, idempotencyKey: 'rma-1' });
    expect(partial).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    expect(Object.fromEntries(t.calls[0] as URLSearchParams)).toMatchObject({
      METHOD: 'RefundTransaction',
      TRANSACTIONID: TXN,
      REFUNDTYPE: 'Partial',
      AMT: '5.00',
      CURRENCYCODE: 'EUR',
      MSGSUBID: partial.refunds[0]?.id,
    });
    // The refund IPN of the same refund transaction: the same refund, not a second one.
    const refundIpn = {
      txn_id: 'REFUND10000000000',
      parent_txn_id: TXN,
      payment_status: 'Refunded',
      reason_code: 'refund',
      mc_gross: '-5.00',
      mc_fee: '0.00',
    };
    expect(await t.ipn(paymentId, refundIpn)).toBe(200);
    expect(await t.get(paymentId)).toMatchObject({ amountRefunded: 500 });
    expect((await t.get(paymentId)).refunds).toHaveLength(1);
    // A back-office refund (IPN only) is a refund of its own.
    expect(await t.ipn(paymentId, { ...refundIpn, txn_id: 'BACKOFFICE0000001', mc_gross: '-1.00' })).toBe(
      200,
    );
    expect(await t.get(paymentId)).toMatchObject({ amountRefunded: 600 });
    const rest = await t.bridge.refund(paymentId);
    expect(rest).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(t.calls[1]?.get('REFUNDTYPE')).toBe('Partial');
    expect(t.calls[1]?.get('AMT')).toBe('13.99');
  });

  it('full refund: Full without AMT; a refusal (10009) releases the amount with a stable code', async () => {
    let refuse = true;
    const t = setup((fields): Record<string, string> => {
      if (refuse)
        return {
          ACK: 'Failure',
          L_ERRORCODE0: '10009',
          L_SHORTMESSAGE0: 'Transaction refused',
          L_LONGMESSAGE0: 'The refund is over the time limit',
          L_SEVERITYCODE0: 'Error',
        };
      expect(fields.get('AMT')).toBeNull();
      return { ACK: 'Success', REFUNDTRANSACTIONID: 'REFUNDFULL0000001', GROSSREFUNDAMT: '19.99' };
    });
    const paymentId = await t.start();
    await t.ipn(paymentId, {});
    await expect(t.bridge.refund(paymentId)).rejects.toMatchObject({
      code: 'BROKER_ERROR',
      details: { errorCodes: ['10009'], correlationId: 'c0ffee12345' },
    });
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    refuse = false;
    expect(await t.bridge.refund(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(t.calls[1]?.get('REFUNDTYPE')).toBe('Full');
  });

  it('a refund IPN racing our refund answer waits (503), then counts once', async () => {
    let paymentId = '';
    const holder: { ipnStatus?: number } = {};
    const t = setup(() => ({
      ACK: 'Success',
      REFUNDTRANSACTIONID: 'REFUNDRACE0000001',
      GROSSREFUNDAMT: '19.99',
    }));
    paymentId = await t.start();
    await t.ipn(paymentId, {});
    const refundIpn = {
      txn_id: 'REFUNDRACE0000001',
      parent_txn_id: TXN,
      payment_status: 'Refunded',
      mc_gross: '-19.99',
    };
    // The IPN arrives while the refund is reserved and its answer not recorded yet.
    const original = t.bridge.backend('paypal');
    const refundFn = original.refund?.bind(original);
    (original as { refund: typeof refundFn }).refund = async (...args) => {
      holder.ipnStatus = await t.ipn(paymentId, refundIpn);
      return (refundFn as NonNullable<typeof refundFn>)(...args);
    };
    await t.bridge.refund(paymentId);
    expect(holder.ipnStatus).toBe(503);
    expect(await t.ipn(paymentId, refundIpn)).toBe(200);
    expect(await t.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect((await t.get(paymentId)).refunds).toHaveLength(1);
  });

  it('our refund whose answer was lost: its IPN waits, then after 10 minutes is taken as that refund', async () => {
    let paymentId = '';
    const t = setup(() => {
      throw new Error('connection reset');
    });
    paymentId = await t.start();
    await t.ipn(paymentId, {});
    await expect(t.bridge.refund(paymentId, { idempotencyKey: 'lost' })).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    const refundIpn = {
      txn_id: 'REFUNDLOST0000001',
      parent_txn_id: TXN,
      payment_status: 'Refunded',
      mc_gross: '-19.99',
    };
    expect(await t.ipn(paymentId, refundIpn)).toBe(503);
    t.advance(11 * 60_000);
    expect(await t.ipn(paymentId, refundIpn)).toBe(200);
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(after.refunds.map((r) => r.status)).toEqual(['succeeded']);
  });
});
