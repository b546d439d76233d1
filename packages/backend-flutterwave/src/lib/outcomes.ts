import type { AckResponse, Anomaly, NotificationOutcome, PaymentFact } from '@paybridge/core';
import { malformedNotification, textAck } from '@paybridge/core/kit';

/** Flutterwave wants a prompt 200; the body is ignored (§5.3). */
export const OK: AckResponse = { status: 200 };

/** A bad or missing secret hash: 401 (§5.3), which Flutterwave retries if retries are on. */
export const UNAUTHORIZED = textAck(401, 'unauthorized');

/** Flutterwave's API could not be asked to verify: 503 so the webhook is retried; the sweeper pulls meanwhile (§13). */
export const RETRY = textAck(503, 'retry');

/** Flutterwave's API does not confirm the transaction the webhook names, or names another. */
export const NOT_VERIFIED = textAck(400, 'not verified');

export const malformed = (message: string): NotificationOutcome =>
  malformedNotification(message, textAck(400, 'bad request'));

export const verified = (
  paymentId: string,
  facts: PaymentFact[],
  transactionId: string,
  anomalies: Anomaly[] = [],
): NotificationOutcome => ({
  verdict: 'verified',
  updates: [{ paymentId, facts, transactionId }],
  ...(anomalies.length ? { anomalies } : {}),
  ack: OK,
});

/** A genuine webhook this backend does not act on (transfers, subscriptions): acknowledged. */
export const ignored = (): NotificationOutcome => ({ verdict: 'verified', updates: [], ack: OK });
