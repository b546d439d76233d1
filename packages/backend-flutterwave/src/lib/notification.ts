import {
  type InboundMessage,
  isPaybridgeError,
  type NotificationContext,
  type NotificationOutcome,
} from '@paybridge/core';
import { memoized, parseJsonBody } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import { overpaid, transactionFacts } from './facts';
import { ignored, malformed, NOT_VERIFIED, OK, RETRY, UNAUTHORIZED, verified } from './outcomes';
import type { FlutterwaveSettings } from './settings';
import { authenticateWebhook } from './signature';
import { verifyById } from './transactions';

export interface NotificationDeps {
  backendId: string;
  settings: FlutterwaveSettings;
}

/** Only what is needed to find the transaction to verify; nothing else in the body is trusted (§5.2). */
const webhookSchema = memoized(() =>
  z.object({
    event: z.string().check(z.minLength(1)),
    data: z.partial(
      z.looseObject({
        id: z.pipe(
          z.union([z.int().check(z.nonnegative()), z.string().check(z.regex(/^\d{1,20}$/))]),
          z.transform((v: number | string) => String(v)),
        ),
        tx_ref: z.string().check(z.minLength(1), z.maxLength(200)),
      }),
    ),
  }),
);
export type FlutterwaveWebhook = z.infer<ReturnType<typeof webhookSchema>>;

/** The raw body → a webhook, or a reason; bytes that are not UTF-8 JSON are malformed. */
export function parseWebhook(
  body: Uint8Array,
): { ok: true; webhook: FlutterwaveWebhook } | { ok: false; message: string } {
  const json = parseJsonBody(body);
  if (json === undefined) return { ok: false, message: 'The webhook body is not JSON' };
  const parsed = webhookSchema().safeParse(json);
  if (!parsed.success) return { ok: false, message: 'The webhook body is not a Flutterwave event' };
  return { ok: true, webhook: parsed.data };
}

/**
 * A webhook: authenticate it over the raw bytes (`verif-hash` / `flutterwave-signature`), find our
 * payment by its tx_ref, then the MANDATORY `GET /transactions/{id}/verify` (§5.3): only the verified
 * transaction — its tx_ref equal to ours, its status, amount and currency — becomes facts.
 */
export async function handleFlutterwaveNotification(
  message: InboundMessage,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const { settings } = deps;
  const auth = await authenticateWebhook(message.headers, message.body, {
    secretHashes: settings.secretHash,
    acceptVerifHash: settings.acceptVerifHash,
    acceptSignatureHeader: settings.acceptSignatureHeader,
  });
  const parsed = parseWebhook(message.body);
  if (!auth.ok) {
    // The payment the message names, unverified: core may pull its status (rate-limited), nothing more.
    const named = parsed.ok ? parsed.webhook.data.tx_ref : undefined;
    const payment = named ? await ctx.getPayment(named) : null;
    return {
      verdict: 'rejected',
      code: 'INVALID_SIGNATURE',
      message: auth.message,
      ...(payment && payment.backend === deps.backendId ? { paymentId: payment.id } : {}),
      ack: UNAUTHORIZED,
    };
  }
  if (!parsed.ok) return malformed(parsed.message);
  const { webhook } = parsed;
  // charge.completed is the payment event (successful or failed, §5.3); the others are not about money in.
  if (webhook.event !== 'charge.completed') return ignored();
  const { id: transactionId, tx_ref: txRef } = webhook.data;
  if (!transactionId || !txRef) return malformed('charge.completed without data.id and data.tx_ref');

  const payment = await ctx.getPayment(txRef);
  if (!payment || payment.backend !== deps.backendId) {
    return {
      verdict: 'rejected',
      code: 'UNKNOWN_PAYMENT',
      message: `No ${deps.backendId} payment has tx_ref ${txRef}`,
      ack: OK,
    };
  }

  let result: Awaited<ReturnType<typeof verifyById>>;
  try {
    result = await verifyById(settings, ctx, transactionId, payment.id);
  } catch (error) {
    return {
      verdict: 'retry',
      message: `Flutterwave transaction ${transactionId}: ${isPaybridgeError(error) ? error.message : 'verify failed'}`,
      ack: RETRY,
    };
  }
  if (!result.found) {
    return {
      verdict: 'rejected',
      code: 'VERIFICATION_FAILED',
      message: `Flutterwave does not confirm transaction ${transactionId}: ${result.message}`,
      paymentId: payment.id,
      ack: NOT_VERIFIED,
    };
  }
  const transaction = result.transaction;
  // The attack is a real transaction of another (cheaper) payment under our tx_ref's name (§4).
  if (transaction.tx_ref !== payment.id || transaction.id !== transactionId) {
    return {
      verdict: 'rejected',
      code: 'VERIFICATION_FAILED',
      message: `Flutterwave transaction ${transaction.id} belongs to tx_ref ${transaction.tx_ref}, not ${payment.id}`,
      paymentId: payment.id,
      ack: NOT_VERIFIED,
    };
  }
  const facts = transactionFacts(transaction, payment, settings);
  const excess = transaction.status === 'successful' ? overpaid(transaction, payment, settings) : 0;
  const anomalies =
    excess > 0
      ? [
          {
            code: 'OVERPAYMENT' as const,
            message: `Flutterwave transaction ${transaction.id} paid ${excess} minor units more than asked (to refund)`,
            paymentId: payment.id,
            details: { expected: payment.amount, received: payment.amount + excess },
          },
        ]
      : [];
  return verified(payment.id, facts, transaction.id, anomalies);
}
