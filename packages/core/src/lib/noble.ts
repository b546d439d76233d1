/**
 * The @noble/hashes functions `hashes.ts` computes with, in a module of their own: `hashes.ts`
 * imports it on the first MAC or digest, and a bundler keeps only these (not every hash of a
 * @noble/hashes module, as a dynamic import of the package itself would).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

export { hmac };

export const HASHES = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;
