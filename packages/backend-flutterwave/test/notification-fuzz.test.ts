import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authenticateWebhook } from '../src/index';
import { parseWebhook } from '../src/lib/notification';

/**
 * The webhook parser and authenticator take bytes from anyone: whatever arrives, they answer a
 * verdict and never throw, and nothing but the exact secret hash authenticates.
 */
const HASH = 'fuzz-secret-hash-0123456789';
const options = { secretHashes: [HASH], acceptVerifHash: true, acceptSignatureHeader: true };

const jsonish = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
  fc
    .record({
      event: fc.oneof(fc.constant('charge.completed'), fc.string()),
      data: fc.record(
        { id: fc.oneof(fc.integer(), fc.string(), fc.double()), tx_ref: fc.oneof(fc.string(), fc.integer()) },
        { requiredKeys: [] },
      ),
    })
    .map((v) => new TextEncoder().encode(JSON.stringify(v))),
);

describe('Flutterwave webhook parsing (fuzz)', () => {
  it('never throws; what it accepts has a string event and, when present, a numeric id and a string tx_ref', () => {
    fc.assert(
      fc.property(jsonish, (body) => {
        const result = parseWebhook(body);
        if (result.ok) {
          expect(typeof result.webhook.event).toBe('string');
          if (result.webhook.data.id !== undefined) expect(result.webhook.data.id).toMatch(/^\d+$/);
          if (result.webhook.data.tx_ref !== undefined)
            expect(typeof result.webhook.data.tx_ref).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('no header value but the secret hash itself authenticates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 64 }).filter((v) => v !== HASH),
        fc.string({ maxLength: 64 }),
        jsonish,
        async (verifHash, signature, body) => {
          const headers = new Headers();
          try {
            headers.set('verif-hash', verifHash);
            headers.set('flutterwave-signature', signature);
          } catch {
            return; // not a valid header value: no HTTP request could carry it
          }
          const auth = await authenticateWebhook(headers, body, options);
          if (headers.get('verif-hash') !== HASH) expect(auth.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
