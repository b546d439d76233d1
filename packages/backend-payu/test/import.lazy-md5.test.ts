import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// Cold start (issue 18): MD5 (@noble/hashes, as WebCrypto has none) is imported on the first MD5
// digest, not when the backend is imported or made. (The kit's SHA digests load the same module on
// their first use, for SHA-1: that is core's lazy load, not this one.)

const MD5 = '@noble/hashes/legacy.js';

/**
 * How many times @noble/hashes' MD5 module was evaluated while `load` ran, every module loaded
 * afresh. The mock hands the real module over, so the code under `load` runs as usual. (vi.doMock
 * resolves a bare name from the file that calls it, so this lives here, beside the package.)
 */
async function md5LoadsDuring(load: () => Promise<unknown>): Promise<number> {
  let loads = 0;
  vi.resetModules();
  vi.doMock(MD5, async (importOriginal) => {
    loads += 1;
    return importOriginal();
  });
  try {
    await load();
  } finally {
    vi.doUnmock(MD5);
    vi.resetModules();
  }
  return loads;
}

const KEY = 'second-key';
const BODY = '{"order":{"orderId":"LDLW5N7MF4140324GUEST000P01","status":"COMPLETED","totalAmount":"21000"}}';
/** PayU's MD5 signature of BODY, computed with node:crypto (independently of the code under test). */
const SIGNATURE = createHash('md5')
  .update(BODY + KEY)
  .digest('hex');
const md5Signed = () =>
  new Headers({
    'openpayu-signature': `sender=checkout;signature=${SIGNATURE};algorithm=MD5;content=DOCUMENT`,
  });
const body = () => new TextEncoder().encode(BODY);

describe('importing @paybridge/backend-payu', () => {
  it('does not load MD5, nor does making the backend', async () => {
    expect(await md5LoadsDuring(() => import('../src/index'))).toBe(0);
    const loads = await md5LoadsDuring(async () => {
      const { payu } = await import('../src/index');
      payu({
        posId: '300746',
        clientId: '300746',
        clientSecret: 'client-secret',
        secondKey: KEY,
        currency: 'PLN',
      });
    });
    expect(loads).toBe(0);
  });

  it('loads it on the first MD5 signature, which it verifies', async () => {
    const loads = await md5LoadsDuring(async () => {
      const { verifySignature } = await import('../src/index');
      expect(await verifySignature(md5Signed(), body(), KEY, ['MD5'])).toEqual({
        ok: true,
        algorithm: 'MD5',
      });
      expect(await verifySignature(md5Signed(), body(), 'other-key', ['MD5'])).toMatchObject({
        ok: false,
        reason: 'mismatch',
      });
    });
    expect(loads).toBe(1);
  });

  it('tries again on the next MD5 digest after a failed load', async () => {
    vi.resetModules();
    vi.doMock(MD5, () => {
      throw new Error('Cannot find module');
    });
    try {
      const { computeSignature } = await import('../src/index');
      await expect(computeSignature('MD5', body(), KEY)).rejects.toThrow();
      vi.doUnmock(MD5);
      expect(await computeSignature('MD5', body(), KEY)).toBe(SIGNATURE);
    } finally {
      vi.doUnmock(MD5);
      vi.resetModules();
    }
  });
});
