import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { Delivery } from '../lib/delivery';
import { type FlutterwaveState, type SimTransaction, transactionView } from './model';

const EVENT_TYPES: Record<string, string> = {
  card: 'CARD_TRANSACTION',
  bank_transfer: 'BANK_TRANSFER_TRANSACTION',
  ussd: 'USSD_TRANSACTION',
  mobilemoney: 'MOBILEMONEY_TRANSACTION',
};

/** base64(HMAC-SHA256(secret hash, raw body)): the `flutterwave-signature` scheme (reference §5.2, UNCONFIRMED). */
export function flutterwaveSignature(secretHash: string, body: Uint8Array): string {
  const mac = hmac(sha256, utf8ToBytes(secretHash), body);
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The webhook body of a transaction: `charge.completed` for successful and failed charges alike (§5.3). */
export function webhookBody(tx: SimTransaction): Uint8Array {
  const event = {
    event: 'charge.completed',
    data: transactionView(tx),
    'event.type': EVENT_TYPES[tx.paymentType] ?? 'CARD_TRANSACTION',
  };
  return utf8ToBytes(JSON.stringify(event));
}

function headersFor(state: FlutterwaveState, body: Uint8Array): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const fault = state.faults.signature ?? 'valid';
  if (fault === 'missing' || !state.config.secretHash) return headers;
  const secret = fault === 'forged' ? `forged-${state.config.secretHash}` : state.config.secretHash;
  headers['verif-hash'] = secret;
  if (state.config.signatureHeader) headers['flutterwave-signature'] = flutterwaveSignature(secret, body);
  return headers;
}

/**
 * Send the transaction's webhook to the dashboard's URL, retried on the configured schedule when the
 * merchant does not answer 2xx (and retries are on). Faults: lost, duplicated, held for reordering, forged.
 */
export function sendWebhook(
  state: FlutterwaveState,
  tx: SimTransaction,
  label = `charge:${tx.status}`,
): Delivery[] {
  const url = state.config.webhookUrl;
  if (!url || state.faults.dropWebhooks) return [];
  const body = webhookBody(tx);
  const copies = 1 + Math.max(0, state.faults.duplicate ?? 0);
  const deliveries: Delivery[] = [];
  for (let i = 0; i < copies; i++) {
    deliveries.push(
      state.env.queue.schedule(
        'flutterwave',
        { url, method: 'POST', headers: headersFor(state, body), body },
        {
          label,
          retryDelays: state.config.retries ? state.config.retryDelaysMs : [],
          accept: (status) => status >= 200 && status < 300,
          held: state.faults.reorder === true,
          timeoutMs: state.config.webhookTimeoutMs,
          // The webhook URL is the merchant's own dashboard setting, as a CM-CIC return URL.
          ownerConfigured: true,
        },
      ),
    );
  }
  return deliveries;
}

/** Deliver held webhooks newest first, each before the next is released (the reorder fault). Returns how many. */
export async function releaseHeld(state: FlutterwaveState): Promise<number> {
  const held = state.env.queue.deliveries.filter(
    (d) => d.broker === 'flutterwave' && d.held && d.state === 'scheduled',
  );
  for (const delivery of held.reverse()) {
    state.env.queue.release(delivery);
    await state.env.queue.flush();
  }
  return held.length;
}
