/**
 * HMAC and digests in plain JavaScript (@noble/hashes), the same on every runtime: what backends
 * verify notifications with, through `@paybridge/core/kit`. The root entry does not import this
 * module (its few SHA-256 uses go through `web-crypto.ts`), so SHA-1/384/512 stay out of it.
 *
 * @noble/hashes is loaded on the first MAC or digest, not when the kit is imported (both functions
 * are async anyway): a backend's import then costs no hash code, which a cold start would pay for
 * before the first request.
 */
import type * as Noble from './noble';

export type HmacAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

type KeyedHmac = ReturnType<typeof Noble.hmac.create>;

let noble: Promise<typeof Noble> | undefined;

function loadNoble(): Promise<typeof Noble> {
  if (noble) return noble;
  noble = import('./noble').catch((error: unknown) => {
    // Not kept: the next call tries to load it again.
    noble = undefined;
    throw error;
  });
  return noble;
}

/**
 * Keyed HMAC states by the key's bytes object: keying costs as much as the MAC of a short form.
 * A private copy of the bytes guards against a caller that reuses the same array for another key.
 */
const keyedStates = new WeakMap<Uint8Array, { bytes: Uint8Array; states: Map<HmacAlgorithm, KeyedHmac> }>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function keyedState({ hmac, HASHES }: typeof Noble, algorithm: HmacAlgorithm, key: Uint8Array): KeyedHmac {
  let entry = keyedStates.get(key);
  if (!entry || !sameBytes(entry.bytes, key)) {
    entry = { bytes: key.slice(), states: new Map() };
    keyedStates.set(key, entry);
  }
  let state = entry.states.get(algorithm);
  if (!state) {
    state = hmac.create(HASHES[algorithm], entry.bytes);
    entry.states.set(algorithm, state);
  }
  return state;
}

/**
 * HMAC and digests in plain JavaScript (@noble/hashes), the same on every runtime. WebCrypto would
 * do too, but Node answers each call through its thread pool: about 50 µs for a MAC that takes 5.
 * Async, so that a runtime-native implementation can replace it without changing callers.
 */
export async function hmac(algorithm: HmacAlgorithm, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const loaded = await loadNoble();
  return keyedState(loaded, algorithm, key).clone().update(data).digest();
}

export async function digest(algorithm: HmacAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  return (await loadNoble()).HASHES[algorithm](data);
}
