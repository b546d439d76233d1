/**
 * HMAC and digests, the same bytes on every runtime: what backends verify notifications with,
 * through `@paybridge/core/kit`. The runtime's own `node:crypto` where it has one
 * (`node-hashes.ts`), else @noble/hashes in plain JavaScript. The root entry does not import this
 * module (its few SHA-256 uses go through `web-crypto.ts`), so SHA-1/384/512 stay out of it.
 *
 * Both are loaded on the first MAC or digest, not when the kit is imported (both functions are async
 * anyway): a backend's import then costs no hash code, which a cold start would pay for before the
 * first request.
 */
import { lazy } from './lazy';
import type * as Noble from './noble';

export type HmacAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** One implementation of the kit's hashes. */
export interface HashFunctions {
  hmac(algorithm: HmacAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array;
  digest(algorithm: HmacAlgorithm, data: Uint8Array): Uint8Array;
}

type KeyedHmac = ReturnType<typeof Noble.hmac.create>;

/** The runtime's `node:crypto` hashes, else @noble/hashes; a load that fails is tried again next call. */
const loadHashes = lazy(async (): Promise<HashFunctions> => {
  const { nodeHashes } = await import('./node-hashes');
  return (await nodeHashes()) ?? nobleHashes(await import('./noble'));
});

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

/** The kit's hashes in plain JavaScript, for runtimes without `node:crypto`. */
export function nobleHashes(noble: typeof Noble): HashFunctions {
  return {
    hmac: (algorithm, key, data) => keyedState(noble, algorithm, key).clone().update(data).digest(),
    digest: (algorithm, data) => noble.HASHES[algorithm](data),
  };
}

/**
 * HMAC of `data` under `key`. WebCrypto would do too, but Node answers each call through its thread
 * pool: about 50 µs for a MAC that takes 6 in plain JavaScript and 2.5 through `node:crypto`.
 */
export async function hmac(algorithm: HmacAlgorithm, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  return (await loadHashes()).hmac(algorithm, key, data);
}

export async function digest(algorithm: HmacAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  return (await loadHashes()).digest(algorithm, data);
}
