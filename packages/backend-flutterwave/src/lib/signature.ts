import { hmac, timingSafeEqualText, toBase64, utf8 } from '@paybridge/core/kit';

export interface WebhookAuthOptions {
  secretHashes: readonly string[];
  acceptVerifHash: boolean;
  acceptSignatureHeader: boolean;
}

export type WebhookAuth =
  | { ok: true; by: 'verif-hash' | 'flutterwave-signature' }
  | { ok: false; message: string };

/** base64(HMAC-SHA256(key = secret hash, message = raw body)) — the `flutterwave-signature` scheme (§5.2, UNCONFIRMED). */
export async function flutterwaveSignature(secretHash: string, body: Uint8Array): Promise<string> {
  return toBase64(await hmac('SHA-256', utf8(secretHash), body));
}

/**
 * Authenticate a webhook (§5.2): the v3 `verif-hash` header must be the secret hash itself (a shared
 * secret, not an HMAC), or `flutterwave-signature` the HMAC of the raw bytes. Every comparison is
 * constant-time and every configured hash is tried, so the time taken says nothing about which matched.
 * This proves the sender only: the body is never trusted for money (the verify call is, §5.3).
 */
export async function authenticateWebhook(
  headers: Headers,
  body: Uint8Array,
  options: WebhookAuthOptions,
): Promise<WebhookAuth> {
  const verifHash = headers.get('verif-hash');
  const signature = headers.get('flutterwave-signature');
  let byHash = false;
  let bySignature = false;
  for (const secret of options.secretHashes) {
    if (options.acceptVerifHash && verifHash !== null && timingSafeEqualText(verifHash, secret))
      byHash = true;
    if (options.acceptSignatureHeader && signature !== null) {
      const expected = await flutterwaveSignature(secret, body);
      if (timingSafeEqualText(signature.trim(), expected)) bySignature = true;
    }
  }
  if (byHash) return { ok: true, by: 'verif-hash' };
  if (bySignature) return { ok: true, by: 'flutterwave-signature' };
  const accepted = [
    ...(options.acceptVerifHash ? ['verif-hash'] : []),
    ...(options.acceptSignatureHeader ? ['flutterwave-signature'] : []),
  ];
  const present =
    (options.acceptVerifHash && verifHash !== null) || (options.acceptSignatureHeader && signature !== null);
  return {
    ok: false,
    message: present
      ? `The webhook's ${accepted.join(' / ')} header does not match the configured secret hash`
      : `The webhook carries no ${accepted.join(' or ')} header`,
  };
}
