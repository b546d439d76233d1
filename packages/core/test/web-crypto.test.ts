import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../src/lib/bytes';
import { digest, hmac } from '../src/lib/hashes';
import { hmacSha256, sha256 } from '../src/lib/web-crypto';

describe('the root entry’s WebCrypto SHA-256', () => {
  const data = utf8('what do ya want for nothing?');

  it('matches the RFC 4231 HMAC vector, the first time and from the kept key after', async () => {
    const jefe = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(toHex(await hmacSha256('Jefe', data))).toBe(jefe);
    expect(toHex(await hmacSha256('Jefe', data))).toBe(jefe);
    expect(toHex(await hmacSha256('Jefx', data))).not.toBe(jefe);
  });

  it('matches the FIPS 180 digest of "abc"', async () => {
    expect(toHex(await sha256(utf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('agrees byte for byte with the kit’s hashes, for many keys (more than it keeps)', async () => {
    for (let i = 0; i < 20; i++) {
      const secret = `secret-${i}-${'x'.repeat(i * 7)}`;
      const message = utf8(`pb1.${i}.${'é'.repeat(i)}`);
      expect(toHex(await hmacSha256(secret, message))).toBe(
        toHex(await hmac('SHA-256', utf8(secret), message)),
      );
      expect(toHex(await sha256(message))).toBe(toHex(await digest('SHA-256', message)));
    }
  });
});
