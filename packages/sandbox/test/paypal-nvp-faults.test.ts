import { describe, expect, it } from 'vitest';
import { credentialsText } from '../src/index';
import { BUY_NOW as PAYPAL_BUY_NOW, setup as paypalSetup } from '../src/paypal/test-kit';
import { nvp, pay } from './paypal-nvp-kit';
import { setup } from './support';

describe('PayPal NVP API: credentials listed, faults (issue 15)', () => {
  it('lists the API credentials in GET /_control and in the CLI banner', async () => {
    const { control, sandbox } = setup();
    const { json } = await control('GET', '');
    expect(json.credentials.paypal.api).toEqual([
      expect.objectContaining({ username: 'merchant_api1.example.com', signature: expect.any(String) }),
      expect.objectContaining({ username: 'merchant-cert_api1.example.com', password: 'SANDBOXCERTPWD' }),
    ]);
    const banner = credentialsText(sandbox.credentials());
    expect(banner).toContain('PayPal NVP API (signature, /paypal/nvp)  USER merchant_api1.example.com');
    expect(banner).toContain(
      'PayPal NVP API (certificate, /paypal/cert/nvp)  USER merchant-cert_api1.example.com',
    );
  });

  it('apiError: the next calls get HTTP 500/503 without an NVP body and change nothing', async () => {
    const { sandbox } = paypalSetup();
    const txnId = await pay(sandbox, PAYPAL_BUY_NOW);
    sandbox.paypal.faults.apiError = { status: 503, remaining: 2 };
    const request = { METHOD: 'RefundTransaction', TRANSACTIONID: txnId };
    expect((await nvp(sandbox, request)).status).toBe(503);
    expect((await nvp(sandbox, request)).status).toBe(503);
    expect(sandbox.paypal.transactions().filter((tx) => tx.kind === 'refund')).toEqual([]);
    const third = await nvp(sandbox, request);
    expect(third.status).toBe(200);
    expect(third.fields.ACK).toBe('Success');
  });

  it('apiFailure: ACK=Failure with the given code, then normal again', async () => {
    const { sandbox } = paypalSetup();
    const txnId = await pay(sandbox, PAYPAL_BUY_NOW);
    sandbox.paypal.faults.apiFailure = { code: '10001', remaining: 1 };
    const request = { METHOD: 'RefundTransaction', TRANSACTIONID: txnId };
    const failed = await nvp(sandbox, request);
    expect(failed.fields).toMatchObject({
      ACK: 'Failure',
      L_ERRORCODE0: '10001',
      L_SHORTMESSAGE0: 'Internal Error',
    });
    expect(sandbox.paypal.transactions().filter((tx) => tx.kind === 'refund')).toEqual([]);
    expect((await nvp(sandbox, request)).fields.ACK).toBe('Success');
  });

  it('apiTimeoutMs: the call hangs until the caller gives up, and changes nothing', async () => {
    const { sandbox } = paypalSetup();
    const txnId = await pay(sandbox, PAYPAL_BUY_NOW);
    sandbox.paypal.faults.apiTimeoutMs = 60_000;
    const started = Date.now();
    await expect(
      nvp(
        sandbox,
        { METHOD: 'RefundTransaction', TRANSACTIONID: txnId },
        { signal: AbortSignal.timeout(50) },
      ),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sandbox.paypal.transactions().filter((tx) => tx.kind === 'refund')).toEqual([]);
  });

  it('the faults are set over PUT /_control/faults/paypal, and typos are refused', async () => {
    const { control, sandbox } = setup();
    const set = await control('PUT', '/faults/paypal', {
      apiError: { status: 500, remaining: 1 },
      apiFailure: { code: '10009', remaining: 2 },
      apiTimeoutMs: 100,
    });
    expect(set.status).toBe(200);
    expect(sandbox.paypal.faults).toMatchObject({
      apiFailure: { code: '10009', remaining: 2 },
      apiTimeoutMs: 100,
    });
    expect((await control('PUT', '/faults/paypal', { apiFailure: { code: 'x', remaining: 1 } })).status).toBe(
      400,
    );
    expect((await control('PUT', '/faults/paypal', { apiError: { status: 404, remaining: 1 } })).status).toBe(
      400,
    );
  });
});
