import type { AckResponse, Anomaly, NotificationOutcome, PaymentFact } from '@paybridge/core';

/** Flutterwave wants a prompt 200; the body is ignored (§5.3). */
export const OK: AckResponse = { status: 200 };

/** A bad or missing secret hash: 401 (§5.3), which Flutterwave retries if retries are on. */
export const UNAUTHORIZED: AckResponse = {
  status: 401,
  headers: { 'content-type': 'text/plain' },
  body: 'unauthorized',
};

/** Flutterwave's API could not be asked to verify: 503 so the webhook is retried; the sweeper pulls meanwhile (§13). */
export const RETRY: AckResponse = { status: 503, headers: { 'content-type': 'text/plain' }, body: 'retry' };

const BAD_REQUEST: AckResponse = {
  status: 400,
  headers: { 'content-type': 'text/plain' },
  body: 'bad request',
};

export const malformed = (message: string): NotificationOutcome => ({
  verdict: 'rejected',
  code: 'MALFORMED_NOTIFICATION',
  message,
  ack: BAD_REQUEST,
});

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
