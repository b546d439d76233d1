import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../src/lib/bytes';
import { type HashFunctions, type HmacAlgorithm, hmac, nobleHashes } from '../src/lib/hashes';
import * as noble from '../src/lib/noble';
import { type NodeCrypto, nodeHashes } from '../src/lib/node-hashes';

const ALGORITHMS: HmacAlgorithm[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const nodeLike = { process: { versions: { node: '20.0.0' } } };

async function nodeImplementation(): Promise<HashFunctions> {
  const hashes = await nodeHashes();
  if (!hashes) throw new Error('this runtime should offer node:crypto');
  return hashes;
}

describe('the kit’s two hash implementations', () => {
  const data = utf8('what do ya want for nothing?');
  // RFC 4231 test case 2 and RFC 2202 test case 2 (key "Jefe"); FIPS 180 "abc".
  const vectors = [
    ['SHA-256', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['SHA-1', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
  ] as const;

  it('both match the published vectors', async () => {
    for (const hashes of [nobleHashes(noble), await nodeImplementation()]) {
      for (const [algorithm, expected] of vectors) {
        expect(toHex(hashes.hmac(algorithm, utf8('Jefe'), data))).toBe(expected);
      }
      expect(toHex(hashes.digest('SHA-256', utf8('abc')))).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
    }
  });

  it('agree byte for byte on every algorithm, for any key (empty, longer than a block) and message', async () => {
    const native = await nodeImplementation();
    const plain = nobleHashes(noble);
    await fc.assert(
      fc.property(
        fc.constantFrom(...ALGORITHMS),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 2000 }),
        (algorithm, key, message) => {
          expect(toHex(native.hmac(algorithm, key, message))).toBe(
            toHex(plain.hmac(algorithm, key, message)),
          );
          expect(toHex(native.digest(algorithm, message))).toBe(toHex(plain.digest(algorithm, message)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answer plain Uint8Arrays of their own, never a Node Buffer', async () => {
    const mac = await hmac('SHA-256', utf8('k'), data);
    expect(mac.constructor).toBe(Uint8Array);
    expect(mac.byteOffset).toBe(0);
    expect(mac.buffer.byteLength).toBe(32);
  });

  it('the plain one follows the bytes when a caller reuses the same array for another key', () => {
    const plain = nobleHashes(noble);
    const key = new Uint8Array(4);
    key.set(utf8('Jefx'));
    const other = toHex(plain.hmac('SHA-256', key, data));
    key.set(utf8('Jefe'));
    expect(toHex(plain.hmac('SHA-256', key, data))).toBe(vectors[0][1]);
    expect(other).not.toBe(vectors[0][1]);
  });
});

describe('choosing node:crypto', () => {
  it('is not tried where the runtime says it has no Node modules', async () => {
    let loaded = false;
    const load = async () => {
      loaded = true;
      return {} as NodeCrypto;
    };
    expect(await nodeHashes({}, load)).toBeNull();
    expect(await nodeHashes({ process: {} }, load)).toBeNull();
    expect(loaded).toBe(false);
  });

  it('falls back when node:crypto cannot be loaded or refuses one algorithm (a FIPS build)', async () => {
    expect(await nodeHashes(nodeLike, () => Promise.reject(new Error('no such module')))).toBeNull();
    const specifier: string = 'node:crypto';
    const crypto = (await import(specifier)) as NodeCrypto;
    const fips: NodeCrypto = {
      createHash: (name) => {
        if (name === 'sha1') throw new Error('disabled for FIPS');
        return crypto.createHash(name);
      },
      createHmac: (name, key) => crypto.createHmac(name, key),
    };
    expect(await nodeHashes(nodeLike, async () => fips)).toBeNull();
    expect(await nodeHashes(nodeLike, async () => crypto)).not.toBeNull();
  });
});
