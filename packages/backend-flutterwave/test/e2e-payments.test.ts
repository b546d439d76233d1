import { describe, expect, it } from 'vitest';
import { SHOP, setup } from './support/e2e';

const transactionIdOf = (step: unknown) =>
  new URL((step as { url: string }).url).searchParams.get('transaction_id') as string;

describe('e2e through the Flutterwave sandbox: purchases', () => {
  it('pay: the webhook is verified by id and makes the payment paid, bound to the transaction', async () => {
    const t = setup();
    const { paymentId, linkId } = await t.start();
    const step = await t.act(linkId, 'pay');
    const back = new URL((step as { url: string }).url);
    expect(back.pathname).toBe(`/pay/return/flutterwave/${paymentId}`);
    expect(back.searchParams.get('status')).toBe('successful');
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 1999, externalId: transactionIdOf(step) });
    expect(payment.brokerData.flutterwaveFlwRef).toMatch(/^FLW-/);
    for (const message of await t.inbound())
      expect(message).toMatchObject({ verdict: 'verified', responseStatus: 200 });
    const calls = (await t.outbound()).map((c) => c.kind);
    expect(calls.sort()).toEqual(['create-payment', 'verify-transaction']);
    const returned = await t.bridge.handler(new Request(back.toString()));
    expect(returned.status).toBe(303);
    expect(returned.headers.get('location')).toContain('https://shop.test/thanks');
  });

  it('the create call sends the amount in major units and the secret key never reaches the log', async () => {
    const t = setup();
    await t.start();
    const [create] = await t.outbound();
    expect(create?.body).toContain('"amount":19.99');
    expect(create?.body).toContain('"currency":"NGN"');
    expect(JSON.stringify(await t.outbound())).not.toContain('FLWSECK_TEST-paybridgesandbox');
  });

  it('decline: the failed charge is verified; nothing is paid and the payment stays payable (binding rule)', async () => {
    const t = setup();
    const { paymentId, linkId } = await t.start();
    const step = await t.act(linkId, 'decline');
    expect(step.method).toBe('NONE');
    expect(await t.get(paymentId)).toMatchObject({ status: 'new', amountPaid: 0, externalId: null });
    const [message] = await t.inbound();
    expect(message).toMatchObject({ verdict: 'verified', responseStatus: 200 });
    expect((await t.outbound()).map((c) => c.kind)).toContain('verify-transaction');
  });

  it('decline then pay on the same page: the successful transaction pays the payment', async () => {
    const t = setup();
    const { paymentId, linkId } = await t.start();
    await t.act(linkId, 'decline');
    const step = await t.act(linkId, 'pay');
    expect(await t.get(paymentId)).toMatchObject({
      status: 'paid',
      amountPaid: 1999,
      externalId: transactionIdOf(step),
    });
  });

  it('cancel: back with status=cancelled, no webhook, the return pulls and changes nothing', async () => {
    const t = setup();
    const { paymentId, linkId } = await t.start();
    const step = (await t.act(linkId, 'cancel')) as { url: string };
    const returned = await t.bridge.handler(new Request(step.url));
    expect(returned.status).toBe(303);
    expect(await t.get(paymentId)).toMatchObject({ status: 'new', amountPaid: 0 });
  });

  it('an underpayment is verified but not accepted as payment (amount check)', async () => {
    const t = setup();
    const { paymentId, linkId } = await t.start();
    await t.act(linkId, 'underpay');
    expect(await t.get(paymentId)).toMatchObject({ amountPaid: 0 });
    expect((await t.get(paymentId)).status).not.toBe('paid');
  });

  it('a pending bank transfer: pulled as pending by the return, paid when it settles', async () => {
    const t = setup();
    const { paymentId, linkId } = await t.start();
    const step = (await t.act(linkId, 'pending')) as { url: string };
    await t.bridge.handler(new Request(step.url));
    expect((await t.get(paymentId)).status).toBe('pending');
    t.sandbox.flutterwave.settle(Number(transactionIdOf(step)), 'successful');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('the return alone is never proof: a typed-in status=successful with another transaction changes nothing', async () => {
    const t = setup();
    const paid = await t.start();
    const paidStep = await t.act(paid.linkId, 'pay');
    const victim = await t.start();
    const forged = `${SHOP}/return/flutterwave/${victim.paymentId}?status=successful&tx_ref=${victim.paymentId}&transaction_id=${transactionIdOf(paidStep)}`;
    await t.bridge.handler(new Request(forged));
    expect(await t.get(victim.paymentId)).toMatchObject({ status: 'new', amountPaid: 0 });
  });
});
