import { describe, expect, it } from 'vitest';
import { BUY_NOW, openCheckout, SUBSCRIBE, setup, WEBSCR } from '../../src/paypal/test-kit';

const TOKEN = 'IDTOKEN-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH';

async function synch(sandbox: ReturnType<typeof setup>['sandbox'], tx: string, at = TOKEN) {
  const response = await sandbox.handler(
    new Request(WEBSCR, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `cmd=_notify-synch&tx=${encodeURIComponent(tx)}&at=${encodeURIComponent(at)}`,
    }),
  );
  return { status: response.status, text: await response.text() };
}

/** PDT lines are form-encoded `key=value`, `+` for space, bytes in the account charset. */
function pdtFields(text: string): Record<string, string> {
  const [, ...lines] = text.split('\n');
  return Object.fromEntries(lines.map((line) => [...new URLSearchParams(line)][0] ?? ['', '']));
}

describe('PayPal Auto Return and PDT (cmd=_notify-synch)', () => {
  it('Auto Return ignores rm=2: the buyer comes back with a GET carrying tx, st, amt, cc, cm, sig', async () => {
    const { sandbox } = setup({ autoReturn: { pdtIdentityToken: TOKEN } });
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    const step = await sandbox.paypal.act(sessionId, 'pay');
    if (step.method !== 'GET') throw new Error('Auto Return is a GET');
    const url = new URL(step.url);
    expect(`${url.origin}${url.pathname}`).toBe(BUY_NOW.return);
    const [txn] = sandbox.paypal.transactions();
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      tx: txn?.txnId,
      st: 'Completed',
      amt: '10.00',
      cc: 'EUR',
      cm: 'pay_123',
      sig: expect.stringMatching(/^[A-Za-z0-9._-]{56}$/),
    });
  });

  it('Auto Return without PDT is a bare GET of return', async () => {
    const { sandbox } = setup({ autoReturn: {} });
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    expect(await sandbox.paypal.act(sessionId, 'pay')).toEqual({ method: 'GET', url: BUY_NOW.return });
    const [txn] = sandbox.paypal.transactions();
    expect((await synch(sandbox, txn?.txnId ?? '')).text).toBe('FAIL\nError: 4003');
  });

  it('answers SUCCESS and the current variables, windows-1252 bytes behind %XX', async () => {
    const { sandbox } = setup({ autoReturn: { pdtIdentityToken: TOKEN } });
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    await sandbox.paypal.act(sessionId, 'pending', { buyer: { firstName: 'Zoë' } });
    const [txn] = sandbox.paypal.transactions();
    const first = await synch(sandbox, txn?.txnId ?? '');
    expect(first.status).toBe(200);
    expect(first.text.split('\n')[0]).toBe('SUCCESS');
    expect(first.text).toContain('\nfirst_name=Zo%EB\n');
    expect(pdtFields(first.text)).toMatchObject({
      charset: 'windows-1252',
      txn_id: txn?.txnId,
      payment_status: 'Pending',
      mc_gross: '10.00',
      invoice: 'INV-1',
    });
    sandbox.paypal.completePending(txn?.txnId ?? '');
    expect(pdtFields((await synch(sandbox, txn?.txnId ?? '')).text).payment_status).toBe('Completed');
  });

  it('fails a wrong token, an unknown tx, and a sixth lookup of one tx', async () => {
    const { sandbox } = setup({ autoReturn: { pdtIdentityToken: TOKEN } });
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    await sandbox.paypal.act(sessionId, 'pay');
    const txnId = sandbox.paypal.transactions()[0]?.txnId ?? '';
    expect((await synch(sandbox, txnId, 'wrong-token')).text).toBe('FAIL\nError: 4003');
    expect((await synch(sandbox, 'UNKNOWN0000000000')).text).toBe('FAIL\nError: 4003');
    for (let lookup = 1; lookup <= 5; lookup++) {
      expect((await synch(sandbox, txnId)).text.startsWith('SUCCESS\n')).toBe(true);
    }
    expect((await synch(sandbox, txnId)).text).toBe('FAIL\nError: 4003');
  });

  it('subscriptions come back with a bare GET: PDT does not cover them', async () => {
    const { sandbox } = setup({ autoReturn: { pdtIdentityToken: TOKEN } });
    const { sessionId } = await openCheckout(sandbox, { ...SUBSCRIBE, rm: '2' });
    expect(await sandbox.paypal.act(sessionId, 'pay')).toEqual({ method: 'GET', url: SUBSCRIBE.return });
  });
});
