import { describe, expect, it } from 'vitest';
import { M, NOTIFY, P24, RETURN, setup, sha384Sign } from './przelewy24-kit';

describe('Przelewy24 simulator: API', () => {
  it('testAccess needs Basic posId:apiKey', async () => {
    const t = setup();
    expect(await t.api('GET', '/testAccess')).toEqual({ status: 200, json: { data: true, error: '' } });
    expect(await t.api('GET', '/testAccess', undefined, `${M.posId}:${M.crc}`)).toEqual({
      status: 401,
      json: { error: 'Incorrect authentication', code: 401 },
    });
  });

  it('register answers a token; the page at /trnRequest/{token} shows pay/decline/abandon', async () => {
    const t = setup();
    const { status, json } = await t.register();
    expect(status).toBe(200);
    expect(json).toMatchObject({ data: { token: expect.any(String) }, responseCode: 0 });
    const page = await t.sandbox.handler(new Request(`${P24}/trnRequest/${json.data.token}`));
    const html = await page.text();
    expect(page.status).toBe(200);
    for (const action of ['pay', 'decline', 'abandon']) expect(html).toContain(`value="${action}"`);
    expect(html).toContain('12.34 PLN');
  });

  it('register refuses a bad sign, a quoted merchantId, a float amount and a reused sessionId', async () => {
    const t = setup();
    expect((await t.register({ sign: 'ab'.repeat(48) })).json.error).toMatch(/sign/);
    expect((await t.register({ merchantId: String(M.merchantId) })).status).toBe(400);
    expect((await t.register({ amount: 12.5 })).status).toBe(400);
    expect((await t.register({}, 'same')).status).toBe(200);
    expect((await t.register({}, 'same')).json.error).toMatch(/sessionId/);
  });

  it('a sign made with escaped slashes or unicode (PHP without flags) is refused', async () => {
    const t = setup();
    const sessionId = 'zamówienie/1';
    const escaped = JSON.stringify({
      sessionId,
      merchantId: M.merchantId,
      amount: 1234,
      currency: 'PLN',
      crc: M.crc,
    })
      .replace(/\//g, '\\/')
      .replace(/ó/g, '\\u00f3');
    const { createHash } = await import('node:crypto');
    const wrong = createHash('sha384').update(escaped).digest('hex');
    expect((await t.register({ sign: wrong }, sessionId)).status).toBe(400);
    expect((await t.register({}, sessionId)).status).toBe(200);
  });

  it('pay: orderId above 2^31, status 1 until verify, then 2; status by sessionId', async () => {
    const t = setup();
    t.answer.verify = false;
    const { json } = await t.register({}, 'sess-1');
    const step = t.sandbox.przelewy24.act(json.data.token, 'pay');
    expect(step).toEqual({ method: 'GET', url: RETURN });
    const byId = await t.api('GET', '/transaction/by/sessionId/sess-1');
    expect(byId.json.data).toMatchObject({ sessionId: 'sess-1', status: 1, amount: 1234, currency: 'PLN' });
    const orderId = byId.json.data.orderId as number;
    expect(orderId).toBeGreaterThan(2 ** 31);
    // Verify with another amount is refused; with the registered one it books the money.
    expect((await t.verify({ sessionId: 'sess-1', orderId, amount: 1000, currency: 'PLN' })).status).toBe(
      400,
    );
    expect(await t.verify({ sessionId: 'sess-1', orderId, amount: 1234, currency: 'PLN' })).toEqual({
      status: 200,
      json: { data: { status: 'success' }, responseCode: 0 },
    });
    expect((await t.api('GET', '/transaction/by/sessionId/sess-1')).json.data.status).toBe(2);
    expect((await t.api('GET', '/transaction/by/sessionId/none')).status).toBe(404);
  });

  it('the hosted page POST pays and redirects (303) to urlReturn; a cross-site POST is refused', async () => {
    const t = setup();
    const { json } = await t.register();
    const url = `${P24}/trnRequest/${json.data.token}`;
    const post = (origin: string) =>
      t.sandbox.handler(
        new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
          body: 'action=pay',
        }),
      );
    expect((await post('https://evil.test')).status).toBe(403);
    const response = await post('http://sandbox.test');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(RETURN);
    expect(t.sandbox.przelewy24.transactions()[0]?.status).toBe(1);
  });

  it('refunds: 201, "Request already exists" on reuse, 409 above the amount or before verify, listed by orderId', async () => {
    const t = setup();
    const { json } = await t.register({}, 'sess-r');
    t.sandbox.przelewy24.act(json.data.token, 'pay');
    const orderId = t.sandbox.przelewy24.transactions()[0]?.orderId as number;
    const refund = (requestId: string, amount: number) =>
      t.api('POST', '/transaction/refund', {
        requestId,
        refundsUuid: requestId,
        urlStatus: NOTIFY,
        refunds: [{ orderId, sessionId: 'sess-r', amount }],
      });
    expect((await refund('r1', 100)).json.error[0].message).toMatch(/wrong status/);
    await t.sandbox.flush();
    expect((await refund('r1', 1000)).status).toBe(201);
    expect((await refund('r1', 1000)).json).toEqual({ error: 'Request already exists', code: 400 });
    expect((await refund('r2', 235)).json.error[0].message).toMatch(/exceeds/);
    const list = await t.api('GET', `/refund/by/orderId/${orderId}`);
    expect(list.json.data.refunds).toEqual([
      expect.objectContaining({ requestId: 'r1', amount: 1000, status: 2 }),
    ]);
  });

  it('apiError fault: the next calls answer 5xx with P24 error body', async () => {
    const t = setup({ faults: { apiError: { status: 503, remaining: 1 } } });
    expect(await t.api('GET', '/testAccess')).toEqual({
      status: 503,
      json: { error: 'Unknown error', code: 503 },
    });
    expect((await t.api('GET', '/testAccess')).status).toBe(200);
  });

  it('sign helper agrees with the reference vector', () => {
    expect(
      sha384Sign(
        { sessionId: 'unique-session-id', merchantId: 999999, amount: 1234, currency: 'PLN' },
        'crc-z-panelu-p24',
      ),
    ).toBe(
      'b27f9adce99faee87750d350e24fab781f734fd80af7bdcff7063dab3fcebbf5f051b264a9b547e611e8e6af7b377cfa',
    );
  });
});
