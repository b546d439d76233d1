import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MERCHANT, SHOP, setup } from './support/e2e';
import { signedRequest } from './support/sign';

/**
 * Property: whatever reaches /notify/przelewy24 — any bytes, any JSON, genuine notifications with
 * fields of the wrong type or out of range, signed or not — never answers 5xx, never throws, and never
 * changes a payment, paid or not; and nothing reaches P24's verify unless the message was signed.
 */
const RUNS = 150;
const NOTIFY = `${SHOP}/notify/przelewy24`;

const snapshot = (p: {
  status: string;
  version: number;
  amountPaid: number;
  amountRefunded: number;
  externalId: string | null;
}) => [p.status, p.version, p.amountPaid, p.amountRefunded, p.externalId].join('|');

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const field = fc.oneof(
  jsonValue,
  fc.integer(),
  fc.string(),
  fc.constant(2 ** 53 + 1),
  fc.constant(-1),
  fc.constant(1.5),
  fc.constant('\u2028'),
);

/**
 * One world per property, shared by its runs: the property is that a message changes nothing, so while
 * it holds every run meets the world a fresh one would (only the message log and the pull rate limit
 * move), and a world per run would cost ~20 ms each. Each run checks the payments itself, and a
 * failure ends the property unshrunk (`endOnFailure`): once one message has changed a payment, every
 * later input would fail too, and shrinking would blame the smallest of them instead of the culprit.
 */
const SHARED_WORLD = { numRuns: RUNS, endOnFailure: true };

async function world() {
  const t = setup();
  const paid = await t.paid();
  const open = await t.start();
  return { t, ids: [paid.paymentId, open.paymentId] };
}

describe('Przelewy24 notification parser fuzz', () => {
  it('random bytes and random JSON never 5xx and change nothing', async () => {
    const { t, ids } = await world();
    const before = await Promise.all(ids.map(async (id) => snapshot(await t.get(id))));
    const verifies = (await t.outbound('verify')).length;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          jsonValue.map((v) => new TextEncoder().encode(JSON.stringify(v) ?? '')),
        ),
        async (body) => {
          const response = await t.bridge.handler(
            new Request(NOTIFY, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: body as BodyInit,
            }),
          );
          expect(response.status).toBeLessThan(500);
          expect(await Promise.all(ids.map(async (id) => snapshot(await t.get(id))))).toEqual(before);
          expect((await t.outbound('verify')).length).toBe(verifies);
        },
      ),
      SHARED_WORLD,
    );
  });

  it('signed notifications with one field replaced by anything never 5xx and never pay the open payment', async () => {
    const { t, ids } = await world();
    const [paidId, openId] = ids as [string, string];
    const paidBefore = snapshot(await t.get(paidId));
    const openBefore = snapshot(await t.get(openId));
    const keys = [
      'merchantId',
      'posId',
      'sessionId',
      'amount',
      'originAmount',
      'currency',
      'orderId',
      'methodId',
      'statement',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...keys),
        field,
        fc.constantFrom(paidId, openId),
        async (key, value, sessionId) => {
          const values: Record<string, unknown> = {
            merchantId: MERCHANT.merchantId,
            posId: MERCHANT.posId,
            sessionId,
            amount: 4999,
            originAmount: 4999,
            currency: 'PLN',
            orderId: 3_200_000_000,
            methodId: 154,
            statement: 'p24-fuzz',
            [key]: value,
          };
          const response = await t.bridge.handler(
            signedRequest(NOTIFY, 'notification', values, MERCHANT.crc),
          );
          expect(response.status).toBeLessThan(500);
          // Orders 3_200_000_000 and the like do not exist at P24: verify refuses them all.
          expect(snapshot(await t.get(paidId))).toBe(paidBefore);
          expect(snapshot(await t.get(openId))).toBe(openBefore);
        },
      ),
      SHARED_WORLD,
    );
  });
});
