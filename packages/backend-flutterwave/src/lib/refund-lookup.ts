import {
  type BackendContext,
  type LedgerEntry,
  PaybridgeError,
  type Payment,
  type RefundRequest,
} from '@paybridge/core';
import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import { fromMajor } from './amounts';
import { flutterwaveRequest } from './api-client';
import type { FlutterwaveSettings } from './settings';

/** A Flutterwave id, sent as a number or a string of digits, kept as its text. */
const numericId = () =>
  z.pipe(
    z.union([z.int(), z.string().check(z.regex(/^\d+$/))]),
    z.transform((v: number | string) => String(v)),
  );

export const refundSchema = memoized(() =>
  z.object({
    id: numericId(),
    amount_refunded: z.optional(
      z.union([z.number().check(z.nonnegative()), z.string().check(z.regex(/^\d+(\.\d+)?$/))]),
    ),
    status: z.string(),
  }),
);
export type FlutterwaveRefund = z.infer<ReturnType<typeof refundSchema>>;

const listedSchema = memoized(() =>
  z.extend(refundSchema(), {
    tx_id: numericId(),
    created_at: z.string(),
  }),
);

const DAY_MS = 86_400_000;

/**
 * v3 refunds take no idempotency key (§7.2): when the answer to an earlier attempt was lost, that
 * attempt may have refunded. Core passes the payment as it was before this call: on the first
 * attempt the refund has no ledger entry yet (nothing to look up); on a retry its entry is still
 * `requested` (reserved before the lost attempt, never answered). Then, before sending again, list the transaction's refunds and
 * return one that our attempt made: same transaction, same amount, created after the refund request
 * was recorded (less `refundClockSkewSeconds`), not attributed to another of our refunds. Where other
 * unanswered refund requests of the same amount could own the candidates, one is adopted only when
 * there are more candidates than such requests; otherwise the refund is sent. A list Flutterwave
 * cannot give now throws `BROKER_UNAVAILABLE` (the refund stays pending; nothing is sent blind).
 */
export async function findEarlierAttempt(
  payment: Payment,
  request: RefundRequest,
  transactionId: string,
  attributed: Record<string, string>,
  ctx: BackendContext,
  settings: FlutterwaveSettings,
): Promise<FlutterwaveRefund | null> {
  const entry = payment.refunds.find((r) => r.id === request.refundId && r.kind === 'refund');
  if (entry?.request !== 'requested') return null;
  const since = Date.parse(entry.createdAt) - settings.refundClockSkewSeconds * 1000;
  const query = new URLSearchParams({
    [settings.refundListTransactionParam]: transactionId,
    [settings.refundListFromParam]: new Date(since - DAY_MS).toISOString().slice(0, 10),
  });
  const answer = await flutterwaveRequest(settings, ctx, {
    method: 'GET',
    path: `/refunds?${query}`,
    kind: 'list-refunds',
    paymentId: payment.id,
  });
  const listed = answer.ok ? z.array(z.unknown()).safeParse(answer.data) : null;
  if (!listed?.success) {
    throw new PaybridgeError(
      'BROKER_UNAVAILABLE',
      'Flutterwave did not list the refunds of the transaction; the refund is not sent blind (no idempotency key)',
      { details: { status: answer.httpStatus } },
    );
  }
  const taken = new Set(Object.values(attributed));
  const candidates = listed.data
    .map((item) => listedSchema().safeParse(item))
    .flatMap((parsed) => (parsed.success ? [parsed.data] : []))
    .filter(
      (refund) =>
        refund.tx_id === transactionId &&
        !taken.has(refund.id) &&
        refund.amount_refunded !== undefined &&
        fromMajor(refund.amount_refunded, payment.currency) === request.amount &&
        Date.parse(refund.created_at) >= since,
    )
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const rivals = payment.refunds.filter((other) => isRival(other, entry, attributed)).length;
  return candidates.length > rivals ? (candidates[0] ?? null) : null;
}

/** Another of our refunds of the same amount, still unanswered, that could own a listed refund. */
function isRival(other: LedgerEntry, entry: LedgerEntry, attributed: Record<string, string>): boolean {
  return (
    other.id !== entry.id &&
    other.kind === 'refund' &&
    other.status === 'pending' &&
    other.request === 'requested' &&
    other.amount === entry.amount &&
    attributed[other.id] === undefined
  );
}
