import { describe, expect, it } from 'vitest';
import { authenticateWebhook, flutterwaveSignature } from '../src/index';

// Worked examples of the protocol reference §12.
const HASH = 'my-Secret-Hash-123';
const BODY =
  '{"event":"charge.completed","data":{"id":285959875,"tx_ref":"pb-ord-1001","flw_ref":"LinkzyMoney/FLW275389391","amount":100.5,"currency":"NGN","charged_amount":100.5,"app_fee":1.41,"status":"successful","payment_type":"card","customer":{"email":"ada@example.com"}},"event.type":"CARD_TRANSACTION"}';
const bytes = new TextEncoder().encode(BODY);
const both = { secretHashes: [HASH], acceptVerifHash: true, acceptSignatureHeader: true };

describe('webhook authentication (reference §5.2, §12)', () => {
  it('flutterwave-signature is base64 HMAC-SHA256 of the raw body keyed with the secret hash', async () => {
    expect(await flutterwaveSignature(HASH, bytes)).toBe('7+dEkyAUQXo4jLYtdvdgy8V4KVwToqsIRWnElPumG7c=');
  });

  it('verif-hash: only the exact secret hash is accepted', async () => {
    const check = (value: string) => authenticateWebhook(new Headers({ 'verif-hash': value }), bytes, both);
    expect(await check(HASH)).toEqual({ ok: true, by: 'verif-hash' });
    expect((await check('my-secret-hash-123')).ok).toBe(false);
    expect((await check(`${HASH}x`)).ok).toBe(false);
    expect((await check('')).ok).toBe(false);
  });

  it('header names are case-insensitive; a missing header is refused with a clear message', async () => {
    expect((await authenticateWebhook(new Headers({ 'Verif-Hash': HASH }), bytes, both)).ok).toBe(true);
    expect(await authenticateWebhook(new Headers(), bytes, both)).toEqual({
      ok: false,
      message: 'The webhook carries no verif-hash or flutterwave-signature header',
    });
  });

  it('flutterwave-signature over other bytes (a tampered body) is refused', async () => {
    const signature = await flutterwaveSignature(HASH, bytes);
    const headers = new Headers({ 'flutterwave-signature': signature });
    expect(await authenticateWebhook(headers, bytes, both)).toEqual({
      ok: true,
      by: 'flutterwave-signature',
    });
    const tampered = new TextEncoder().encode(BODY.replace('100.5', '1000.5'));
    expect((await authenticateWebhook(headers, tampered, both)).ok).toBe(false);
  });

  it('each scheme can be switched off; every configured hash is tried (rotation)', async () => {
    const headers = new Headers({ 'verif-hash': HASH });
    expect((await authenticateWebhook(headers, bytes, { ...both, acceptVerifHash: false })).ok).toBe(false);
    const signed = new Headers({ 'flutterwave-signature': await flutterwaveSignature(HASH, bytes) });
    expect((await authenticateWebhook(signed, bytes, { ...both, acceptSignatureHeader: false })).ok).toBe(
      false,
    );
    const rotated = { ...both, secretHashes: ['another-secret-hash-456', HASH] };
    expect((await authenticateWebhook(headers, bytes, rotated)).ok).toBe(true);
  });
});
