/**
 * SHA-256 and HMAC-SHA-256 through the runtime's WebCrypto, for the root entry's own uses: signing
 * and verifying payment buttons, and deriving the ids of renewal payments and idempotent refunds.
 * Only a renewal's notification derives one (not every notification); `POST /start` verifies one
 * button per request, where WebCrypto's cost on Node (about 50 µs a call through the thread pool,
 * against about 5 µs in plain JavaScript) is small beside the store write. In exchange the root
 * carries no hash code of its own (@noble/hashes is about 6 kB min+gzip). Backends' per-message
 * MACs use `hashes.ts` through the kit.
 */
import { utf8 } from './bytes';

/** Imported HMAC keys by secret: importing costs as much as a MAC. A bridge has one secret; a few are kept. */
const hmacKeys = new Map<string, Promise<CryptoKey>>();
const KEPT_KEYS = 8;

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      utf8(secret) as BufferSource,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    // A key that failed to import is not kept: the next call tries again.
    key.catch(() => hmacKeys.delete(secret));
    if (hmacKeys.size >= KEPT_KEYS) hmacKeys.delete(hmacKeys.keys().next().value as string);
    hmacKeys.set(secret, key);
  }
  return key;
}

/** HMAC-SHA-256 of `data` under the UTF-8 bytes of `secret`. */
export async function hmacSha256(secret: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), data as BufferSource));
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
}
