import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { Delivery } from '../lib/delivery';
import type { P24State, SimRefund, SimTransaction } from './model';
import { p24Sign, type SignedMessage } from './sign';

const FORGED_CRC = 'not-the-merchant-crc';

function signed(state: P24State, message: SignedMessage, fields: Record<string, unknown>, crc: string) {
  const mode = state.faults.signature ?? 'valid';
  if (mode === 'missing') return fields;
  return { ...fields, sign: p24Sign(message, fields, mode === 'forged' ? FORGED_CRC : crc) };
}

function schedule(
  state: P24State,
  url: string,
  label: string,
  body: Record<string, unknown>,
  accept: (status: number) => boolean,
  held: boolean,
): Delivery[] {
  const copies = 1 + Math.max(0, Math.floor(state.faults.duplicate ?? 0));
  const deliveries: Delivery[] = [];
  for (let i = 0; i < copies; i++) {
    const delivery = state.env.queue.schedule(
      'przelewy24',
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: utf8ToBytes(JSON.stringify(body)),
      },
      {
        label,
        retryDelays: state.config.retryDelaysMs,
        accept: (status) => accept(status),
        held,
        timeoutMs: state.config.notificationTimeoutMs,
      },
    );
    deliveries.push(delivery);
    if (held) state.held.push(delivery);
  }
  return deliveries;
}

/**
 * The transaction notification to `urlStatus` after a successful payment (reference §5.1). P24 resends
 * it on its schedule until a correct verify has happened: what stops the retries is the verify, so a
 * 200 without verify is retried, and an answer after verify stops them whatever its status.
 */
export function notifyPaid(state: P24State, tx: SimTransaction): Delivery[] {
  if (!tx.urlStatus || tx.orderId === null) return [];
  const fields = {
    merchantId: tx.merchant.merchantId,
    posId: tx.merchant.posId,
    sessionId: tx.sessionId,
    amount: tx.amount,
    originAmount: tx.amount,
    currency: tx.currency,
    orderId: tx.orderId,
    methodId: tx.methodId,
    statement: tx.statement,
  };
  const body = signed(state, 'notification', fields, tx.merchant.crc);
  return schedule(
    state,
    tx.urlStatus,
    'transaction',
    body,
    () => tx.status >= 2,
    state.faults.reorder === true,
  );
}

/** The refund notification (reference §8.2): `requestId` and `timestamp` ride along unsigned. */
export function notifyRefund(state: P24State, tx: SimTransaction, refund: SimRefund): Delivery[] {
  if (!refund.urlStatus) return [];
  const fields = {
    orderId: refund.orderId,
    sessionId: refund.sessionId,
    refundsUuid: refund.refundsUuid,
    merchantId: tx.merchant.merchantId,
    amount: refund.amount,
    currency: tx.currency,
    status: refund.status === 1 ? 0 : 1,
  };
  const body = {
    ...signed(state, 'refundNotification', fields, tx.merchant.crc),
    requestId: refund.requestId,
    timestamp: Math.floor(state.env.clock.now() / 1000),
  };
  return schedule(
    state,
    refund.urlStatus,
    `refund:${refund.status === 1 ? 'completed' : 'rejected'}`,
    body,
    (status) => status >= 200 && status < 300,
    false,
  );
}

/** Sends the held notifications newest first, one millisecond apart on the sandbox clock (the reorder fault). */
export function releaseHeld(state: P24State): number {
  const held = state.held.splice(0).reverse();
  let offset = 0;
  for (const delivery of held) {
    delivery.dueAt = state.env.clock.now() + offset++;
    state.env.queue.release(delivery);
  }
  return held.length;
}
