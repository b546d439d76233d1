import { describe, expect, it } from 'vitest';
import { FLUTTERWAVE_RETRY_DELAYS_MS } from '../src/index';
import { API, SHOP, setupFlutterwave } from './flutterwave-support';

describe('Flutterwave simulator: v3 API', () => {
  it('POST /payments answers the hosted link; the page shows the amount in major units', async () => {
    const t = setupFlutterwave();
    const { response, json, linkId } = await t.createPayment();
    expect(response.status).toBe(200);
    expect(json).toMatchObject({ status: 'success', message: 'Hosted Link' });
    expect(json.data?.link).toBe(`${API}/hosted/pay/${linkId}`);
    const page = await t.sandbox.handler(new Request(json.data?.link as string));
    expect(page.status).toBe(200);
    expect(page.headers.get('x-sandbox-session')).toBe(linkId);
    expect(await page.text()).toContain('100.5 NGN');
  });

  it('refuses bad keys, bad amounts, a missing email, and a tx_ref used before', async () => {
    const t = setupFlutterwave();
    expect((await t.api('/payments', { method: 'POST', body: '{}' }, 'FLWSECK_TEST-wrong-X')).status).toBe(
      401,
    );
    expect((await t.createPayment({ amount: 1.005 })).json).toMatchObject({
      status: 'error',
      message: 'Invalid amount',
    });
    expect((await t.createPayment({ amount: 10, currency: 'UGX', tx_ref: 'u1' })).response.status).toBe(200);
    expect((await t.createPayment({ amount: 10.5, currency: 'UGX', tx_ref: 'u2' })).response.status).toBe(
      400,
    );
    expect((await t.createPayment({ customer: {} })).json.message).toBe('customer.email is required');
    expect((await t.createPayment()).response.status).toBe(200);
    expect((await t.createPayment()).json).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/Duplicate tx_ref/),
    });
  });

  it('pay: redirect with status, tx_ref and transaction_id; verify and verify_by_reference show the transaction', async () => {
    const t = setupFlutterwave();
    const { linkId } = await t.createPayment();
    const step = t.sandbox.flutterwave.act(linkId, 'pay');
    expect(step.method).toBe('GET');
    const back = new URL((step as { url: string }).url);
    expect(back.origin + back.pathname).toBe(`${SHOP}/return`);
    expect(back.searchParams.get('status')).toBe('successful');
    expect(back.searchParams.get('tx_ref')).toBe('pb-ord-1001');
    const id = back.searchParams.get('transaction_id') as string;
    const verified = (await (await t.api(`/transactions/${id}/verify`)).json()) as {
      data: Record<string, unknown>;
    };
    expect(verified.data).toMatchObject({
      id: Number(id),
      tx_ref: 'pb-ord-1001',
      amount: 100.5,
      currency: 'NGN',
      status: 'successful',
    });
    const byRef = (await (await t.api('/transactions/verify_by_reference?tx_ref=pb-ord-1001')).json()) as {
      data: { id: number };
    };
    expect(byRef.data.id).toBe(Number(id));
    expect(await (await t.api('/transactions/999/verify')).json()).toEqual({
      status: 'error',
      message: 'No transaction was found for this id',
      data: null,
    });
  });

  it('cancel: back with status=cancelled and no transaction_id, no webhook; the link is then closed', async () => {
    const t = setupFlutterwave();
    const { linkId } = await t.createPayment();
    const step = t.sandbox.flutterwave.act(linkId, 'cancel') as { url: string };
    expect(new URL(step.url).searchParams.get('status')).toBe('cancelled');
    expect(new URL(step.url).searchParams.has('transaction_id')).toBe(false);
    await t.sandbox.flush();
    expect(t.received).toHaveLength(0);
    expect(t.sandbox.flutterwave.act(linkId, 'pay').method).toBe('NONE');
  });

  it('the hosted page: POST acts and redirects (303); a cross-site POST is refused', async () => {
    const t = setupFlutterwave();
    const { json } = await t.createPayment();
    const link = json.data?.link as string;
    const post = (origin: string) =>
      t.sandbox.handler(
        new Request(link, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
          body: 'action=pay',
        }),
      );
    expect((await post('https://evil.test')).status).toBe(403);
    const response = await post(new URL(link).origin);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(
      /status=successful&tx_ref=pb-ord-1001&transaction_id=\d+/,
    );
  });

  it('refunds: partial then the rest, never more than paid; GET /refunds/{id}', async () => {
    const t = setupFlutterwave({ refundStatus: 'pending' });
    const { linkId } = await t.createPayment();
    const id = new URL((t.sandbox.flutterwave.act(linkId, 'pay') as { url: string }).url).searchParams.get(
      'transaction_id',
    );
    const refund = (amount?: number) =>
      t.api(`/transactions/${id}/refund`, {
        method: 'POST',
        body: JSON.stringify(amount === undefined ? {} : { amount }),
      });
    const first = (await (await refund(40.25)).json()) as {
      data: { id: number; amount_refunded: number; status: string };
    };
    expect(first.data).toMatchObject({ amount_refunded: 40.25, status: 'pending' });
    expect((await refund(60.26)).status).toBe(400);
    const rest = (await (await refund()).json()) as { data: { amount_refunded: number } };
    expect(rest.data.amount_refunded).toBe(60.25);
    expect(t.sandbox.flutterwave.completeRefunds()).toBe(2);
    const fetched = (await (await t.api(`/refunds/${first.data.id}`)).json()) as { data: { status: string } };
    expect(fetched.data.status).toBe('completed');
  });

  it('the 5xx fault answers the next calls with an error envelope, then recovers', async () => {
    const t = setupFlutterwave();
    t.sandbox.flutterwave.faults.apiError = { status: 503, remaining: 1 };
    expect((await t.createPayment()).response.status).toBe(503);
    expect((await t.createPayment()).response.status).toBe(200);
  });

  it('the retry schedule is the documented assumption (3 × 30 minutes)', () => {
    expect(FLUTTERWAVE_RETRY_DELAYS_MS).toEqual([1_800_000, 1_800_000, 1_800_000]);
  });
});
