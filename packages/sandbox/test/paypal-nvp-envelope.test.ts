import { describe, expect, it } from 'vitest';
import { BUY_NOW, setup } from '../src/paypal/test-kit';
import { CERT_AUTH, CERT_NVP, NVP, nvp, pay, SIGNATURE_AUTH } from './paypal-nvp-kit';

const details = (txnId: string) => ({ METHOD: 'GetTransactionDetails', TRANSACTIONID: txnId });

describe('PayPal NVP endpoint: envelope, credentials, VERSION, errors (paypal-api.md §2)', () => {
  it('answers HTTP 200 with ACK, TIMESTAMP (UTC ISO), CORRELATIONID, the request VERSION and BUILD', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const answer = await nvp(sandbox, details(txnId));
    expect(answer.status).toBe(200);
    expect(answer.fields.ACK).toBe('Success');
    expect(answer.fields.TIMESTAMP).toBe(
      new Date(sandbox.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
    expect(answer.fields.CORRELATIONID).toMatch(/^[0-9a-f]{13}$/);
    expect(answer.fields.VERSION).toBe('124.0');
    expect(answer.fields.BUILD).toMatch(/^\d+$/);
    // PayPal percent-encodes the punctuation of values: TIMESTAMP=2019%2d02%2d07T11%3a41%3a21Z.
    expect(answer.raw).toMatch(/TIMESTAMP=\d{4}%2d\d{2}%2d\d{2}T\d{2}%3a\d{2}%3a\d{2}Z/);
    expect(answer.raw).toContain('&VERSION=124%2e0&');
  });

  it('refuses bad credentials with 10002 in PayPal error shape, and changes nothing', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    for (const auth of [
      { ...SIGNATURE_AUTH, PWD: 'wrong' },
      { ...SIGNATURE_AUTH, SIGNATURE: `${SIGNATURE_AUTH.SIGNATURE}x` },
      { ...SIGNATURE_AUTH, USER: 'nobody_api1.example.com' },
      { USER: SIGNATURE_AUTH.USER, PWD: SIGNATURE_AUTH.PWD, VERSION: '124.0' },
    ]) {
      const answer = await nvp(sandbox, { METHOD: 'RefundTransaction', TRANSACTIONID: txnId }, { auth });
      expect(answer.fields).toMatchObject({
        ACK: 'Failure',
        L_ERRORCODE0: '10002',
        L_SHORTMESSAGE0: 'Security error',
        L_LONGMESSAGE0: 'Security header is not valid',
        L_SEVERITYCODE0: 'Error',
      });
      expect(answer.fields.CORRELATIONID).toMatch(/^[0-9a-f]{13}$/);
      // Names are not encoded, values are: as in PayPal's answers.
      expect(answer.raw).toContain('&L_ERRORCODE0=10002&L_SHORTMESSAGE0=Security%20error&');
    }
    expect(sandbox.paypal.transactions().map((tx) => tx.status)).toEqual(['Completed']);
    expect(sandbox.paypal.apiCalls().map((call) => call.errorCodes)).toEqual([
      ['10002'],
      ['10002'],
      ['10002'],
      ['10002'],
    ]);
  });

  it('takes certificate credentials only at /cert/nvp, without SIGNATURE, and 3-token ones only at /nvp', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const cert = await nvp(sandbox, details(txnId), { url: CERT_NVP, auth: CERT_AUTH });
    expect(cert.fields.ACK).toBe('Success');
    expect(cert.fields.TRANSACTIONID).toBe(txnId);
    const certOnSignatureHost = await nvp(sandbox, details(txnId), { url: NVP, auth: CERT_AUTH });
    expect(certOnSignatureHost.fields.L_ERRORCODE0).toBe('10002');
    const signatureOnCertHost = await nvp(sandbox, details(txnId), { url: CERT_NVP });
    expect(signatureOnCertHost.fields.L_ERRORCODE0).toBe('10002');
    const certWithSignature = await nvp(sandbox, details(txnId), {
      url: CERT_NVP,
      auth: { ...CERT_AUTH, SIGNATURE: SIGNATURE_AUTH.SIGNATURE },
    });
    expect(certWithSignature.fields.L_ERRORCODE0).toBe('10002');
    expect(sandbox.paypal.apiCalls().map((call) => [call.endpoint, call.ack])).toEqual([
      ['certificate', 'Success'],
      ['signature', 'Failure'],
      ['certificate', 'Failure'],
      ['certificate', 'Failure'],
    ]);
  });

  it('answers a missing, malformed or too high VERSION with 10006', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    for (const VERSION of ['', 'abc', '205.0', '0']) {
      const answer = await nvp(sandbox, details(txnId), { auth: { ...SIGNATURE_AUTH, VERSION } });
      expect(answer.fields.ACK).toBe('Failure');
      expect(answer.fields.L_ERRORCODE0).toBe('10006');
      expect(answer.fields.L_SHORTMESSAGE0).toBe('Version error');
    }
    const low = await nvp(sandbox, details(txnId), { auth: { ...SIGNATURE_AUTH, VERSION: '56.0' } });
    expect(low.fields.ACK).toBe('Success');
    expect(low.fields.VERSION).toBe('56.0');
  });

  it('answers an unknown or missing METHOD with 81002', async () => {
    const { sandbox } = setup();
    for (const METHOD of ['DoExpressCheckoutPayment', '']) {
      const answer = await nvp(sandbox, { METHOD });
      expect(answer.fields).toMatchObject({
        ACK: 'Failure',
        L_ERRORCODE0: '81002',
        L_SEVERITYCODE0: 'Error',
      });
    }
  });

  it('accepts SUBJECT naming the caller’s own account and refuses a third party with 10007', async () => {
    const { sandbox } = setup();
    const txnId = await pay(sandbox, BUY_NOW);
    const own = await nvp(sandbox, { ...details(txnId), SUBJECT: 'Merchant@Example.com' });
    expect(own.fields.ACK).toBe('Success');
    const other = await nvp(sandbox, { ...details(txnId), SUBJECT: 'someone@else.test' });
    expect(other.fields).toMatchObject({
      ACK: 'Failure',
      L_ERRORCODE0: '10007',
      L_SHORTMESSAGE0: 'Permission denied',
    });
  });

  it('refuses a body over the limit with 413 and GET with 405', async () => {
    const { sandbox } = setup();
    const big = await sandbox.handler(
      new Request(NVP, { method: 'POST', body: `METHOD=TransactionSearch&NOTE=${'x'.repeat(300 * 1024)}` }),
    );
    expect(big.status).toBe(413);
    const get = await sandbox.handler(new Request(NVP));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(sandbox.paypal.apiCalls()).toEqual([]);
  });

  it('answers with a fresh headers object per response', async () => {
    const { sandbox } = setup();
    const first = await sandbox.handler(new Request(NVP, { method: 'POST', body: 'METHOD=x' }));
    first.headers.set('x-mutated', '1');
    const second = await sandbox.handler(new Request(NVP, { method: 'POST', body: 'METHOD=x' }));
    expect(second.headers.get('x-mutated')).toBeNull();
  });
});
