import { describe, expect, it } from 'vitest';
import { MERCHANT, SHOP, setup } from './support/e2e';
import { sign, signedRequest } from './support/sign';

const NOTIFY = `${SHOP}/notify/przelewy24`;

/** A genuine-looking notification for a payment, signed with the shop's CRC key (overrides applied before signing). */
function notification(paymentId: string, overrides: Record<string, unknown> = {}) {
  return {
    merchantId: MERCHANT.merchantId,
    posId: MERCHANT.posId,
    sessionId: paymentId,
    amount: 4999,
    originAmount: 4999,
    currency: 'PLN',
    orderId: 3_100_000_001,
    methodId: 154,
    statement: 'p24-100-000-001',
    ...overrides,
  };
}

async function post(t: ReturnType<typeof setup>, request: Request) {
  const response = await t.bridge.handler(request);
  const [message] = (await t.inbound()).slice(-1);
  return { status: response.status, message };
}

describe('Przelewy24 notifications (before verify)', () => {
  it.each([
    ['amount differs from the payment', { amount: 100, originAmount: 100 }, 'AMOUNT_MISMATCH'],
    ['amount differs from originAmount', { amount: 4998 }, 'AMOUNT_MISMATCH'],
    ['currency differs', { currency: 'EUR' }, 'CURRENCY_MISMATCH'],
    ['another merchant (signed with our key)', { merchantId: 777 }, 'RECEIVER_MISMATCH'],
    ['another POS (signed with our key)', { posId: 778 }, 'RECEIVER_MISMATCH'],
  ])('%s: refused, nothing changes, no verify', async (_, overrides, code) => {
    const t = setup();
    const { paymentId } = await t.start();
    const { message } = await post(
      t,
      signedRequest(NOTIFY, 'notification', notification(paymentId, overrides), MERCHANT.crc),
    );
    expect(JSON.stringify(message)).toContain(code);
    expect((await t.get(paymentId)).amountPaid).toBe(0);
    expect(await t.outbound('verify')).toHaveLength(0);
  });

  it('a quoted integer is malformed even with the sign of the quoted form', async () => {
    const t = setup();
    const { paymentId } = await t.start();
    const values = notification(paymentId, { merchantId: String(MERCHANT.merchantId) });
    const { status } = await post(t, signedRequest(NOTIFY, 'notification', values, MERCHANT.crc));
    expect(status).toBe(400);
    expect(await t.outbound('verify')).toHaveLength(0);
  });

  it('an unknown session is answered 200 and recorded, with no verify', async () => {
    const t = setup();
    const { status, message } = await post(
      t,
      signedRequest(NOTIFY, 'notification', notification('pay_unknown'), MERCHANT.crc),
    );
    expect(status).toBe(200);
    expect(JSON.stringify(message)).toContain('UNKNOWN_PAYMENT');
    expect(await t.outbound('verify')).toHaveLength(0);
  });

  it('a genuine notification whose transaction P24 does not know is refused by verify (VERIFICATION_FAILED)', async () => {
    const t = setup();
    const { paymentId } = await t.start();
    const { status, message } = await post(
      t,
      signedRequest(NOTIFY, 'notification', notification(paymentId), MERCHANT.crc),
    );
    expect(status).toBe(400);
    expect(JSON.stringify(message)).toContain('VERIFICATION_FAILED');
    expect(await t.outbound('verify')).toHaveLength(1);
    expect((await t.get(paymentId)).amountPaid).toBe(0);
  });

  it('upper-case hex signs are accepted; a sign over the received values, not the configured ones', async () => {
    const t = setup();
    const { paymentId, token } = await t.start();
    t.sandbox.przelewy24.faults = { reorder: true };
    t.sandbox.przelewy24.act(token, 'pay');
    const orderId = t.transaction(token)?.orderId;
    const values = notification(paymentId, { orderId });
    const body = JSON.stringify({
      ...values,
      sign: sign('notification', values, MERCHANT.crc).toUpperCase(),
    });
    const response = await t.bridge.handler(
      new Request(NOTIFY, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
    );
    expect(response.status).toBe(200);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', externalId: String(orderId) });
  });

  it('only accepts the configured source addresses when notificationIps is set', async () => {
    const t = setup({ backend: { notificationIps: ['91.220.177.0/24'] } });
    const { paymentId } = await t.start();
    const { status } = await post(
      t,
      signedRequest(NOTIFY, 'notification', notification(paymentId), MERCHANT.crc),
    );
    expect(status).toBe(403);
    expect(await t.outbound('verify')).toHaveLength(0);
  });
});
