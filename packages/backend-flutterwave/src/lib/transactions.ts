import type { BackendContext } from '@paybridge/core';
import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import { type FlutterwaveAnswer, flutterwaveRequest } from './api-client';
import type { FlutterwaveSettings } from './settings';

const amount = memoized(() =>
  z.union([z.number().check(z.nonnegative()), z.string().check(z.regex(/^\d+(\.\d+)?$/))]),
);

/** The fields of a v3 transaction this backend reads (verify answers, §6); the rest is ignored. */
export const transactionSchema = memoized(() =>
  z.object({
    id: z.pipe(
      z.union([z.int().check(z.nonnegative()), z.string().check(z.regex(/^\d+$/))]),
      z.transform((v: number | string) => String(v)),
    ),
    tx_ref: z.string(),
    flw_ref: z.nullish(z.string()),
    amount: amount(),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
    charged_amount: z.nullish(amount()),
    status: z.string(),
    payment_type: z.nullish(z.string()),
    processor_response: z.nullish(z.string()),
    created_at: z.nullish(z.string()),
  }),
);
export type FlutterwaveTransaction = z.infer<ReturnType<typeof transactionSchema>>;

export type VerifyResult =
  | { found: true; transaction: FlutterwaveTransaction }
  | { found: false; message: string };

function toResult(answer: FlutterwaveAnswer): VerifyResult {
  // An error envelope ("No transaction was found…") means "not paid", never an exception (§13).
  if (!answer.ok) return { found: false, message: answer.message || `HTTP ${answer.httpStatus}` };
  const parsed = transactionSchema().safeParse(answer.data);
  if (!parsed.success) return { found: false, message: 'the verify answer is not a transaction' };
  return { found: true, transaction: parsed.data };
}

/** `GET /transactions/{id}/verify`: the mandatory re-verification of a webhook or a return (§5.3). */
export async function verifyById(
  settings: FlutterwaveSettings,
  ctx: BackendContext,
  transactionId: string,
  paymentId: string | null,
): Promise<VerifyResult> {
  const answer = await flutterwaveRequest(settings, ctx, {
    method: 'GET',
    path: `/transactions/${encodeURIComponent(transactionId)}/verify`,
    kind: 'verify-transaction',
    paymentId,
  });
  return toResult(answer);
}

/** `GET /transactions/verify_by_reference?tx_ref=`: the status pull by our own reference (§6). */
export async function verifyByReference(
  settings: FlutterwaveSettings,
  ctx: BackendContext,
  txRef: string,
): Promise<VerifyResult> {
  const answer = await flutterwaveRequest(settings, ctx, {
    method: 'GET',
    path: `/transactions/verify_by_reference?${new URLSearchParams({ tx_ref: txRef }).toString()}`,
    kind: 'verify-by-reference',
    paymentId: txRef,
  });
  return toResult(answer);
}
