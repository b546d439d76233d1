import type { Delivery, DeliveryAttempt } from '../lib/delivery';
import type { SimulatorEnv } from '../lib/simulator';
import { ipnRetryDelays, type PaypalFaults } from './faults';
import { newIpnTrackId, newVerifySign } from './ids';
import { decodePairs, encodeForm, type FormPairs, type PaypalCharset, parseFormBytes } from './ipn-encoding';

/** PayPal's IPN sender identifies itself so (protocol reference §6). */
export const IPN_USER_AGENT = 'PayPal IPN ( https://www.paypal.com/ipn )';
const NOTIFY_VERSION = '3.9';
/** How long PayPal waits for the listener's answer: ~30 s per community reports (UNCONFIRMED, §6). */
export const DEFAULT_IPN_TIMEOUT_MS = 30_000;

/** One IPN message as sent (all its copies share the bytes). */
export interface SentIpn {
  ipnTrackId: string;
  /** Sandbox clock time the message was created (its verification window starts here). */
  sentAt: number;
  notifyUrl: string;
  charset: PaypalCharset;
  /** Exact body bytes posted to `notify_url`. */
  body: Uint8Array;
  /** The body decoded with its charset, in order: what the verification endpoint compares against. */
  fields: FormPairs;
  txnType?: string;
  paymentStatus?: string;
  txnId?: string;
  subscrId?: string;
  /** The original delivery and any duplicates. */
  deliveries: Delivery[];
}

/** Public view of an IPN for tests. */
export interface PaypalIpnRecord {
  ipnTrackId: string;
  sentAt: number;
  notifyUrl: string;
  charset: PaypalCharset;
  body: Uint8Array;
  fields: FormPairs;
  txnType?: string;
  paymentStatus?: string;
  txnId?: string;
  subscrId?: string;
  state: 'queued' | 'scheduled' | 'delivered' | 'gave-up';
  attempts: DeliveryAttempt[];
  copies: number;
}

interface QueuedIpn {
  ipn: SentIpn;
  copies: number;
  delay: number;
}

export interface IpnSenderOptions {
  mode: 'sandbox' | 'live';
  charset: PaypalCharset;
  faults: () => PaypalFaults;
  /** Per-attempt wait for the listener's answer before PayPal counts the attempt as failed. */
  timeoutMs?: number;
}

const fieldOf = (fields: FormPairs, name: string): string | undefined =>
  fields.find(([key]) => key === name)?.[1];

/** One character per byte: a map key that two different byte strings never share. */
const bodyKey = (body: Uint8Array): string => {
  let key = '';
  for (const byte of body) key += String.fromCharCode(byte);
  return key;
};

export function createIpnSender(env: SimulatorEnv, options: IpnSenderOptions) {
  const sent: SentIpn[] = [];
  const byContent = new Map<string, SentIpn>();
  const byBody = new Map<string, SentIpn>();
  let reorderBuffer: QueuedIpn[] = [];

  function schedule(queued: QueuedIpn): void {
    const { ipn } = queued;
    const label = `ipn:${ipn.paymentStatus ?? ipn.txnType ?? 'message'}`;
    for (let copy = 0; copy < queued.copies; copy++) {
      ipn.deliveries.push(
        env.queue.schedule(
          'paypal',
          {
            url: ipn.notifyUrl,
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'user-agent': IPN_USER_AGENT,
            },
            body: ipn.body,
          },
          {
            label,
            retryDelays: ipnRetryDelays(),
            // Only HTTP 200 stops the retries (protocol reference §6); any body is fine.
            accept: (status) => status === 200,
            delay: queued.delay,
            timeoutMs: options.timeoutMs ?? DEFAULT_IPN_TIMEOUT_MS,
          },
        ),
      );
    }
  }

  /**
   * Complete `fields` with PayPal's envelope (charset, notify_version, verify_sign, test_ipn,
   * ipn_track_id), apply faults, encode and queue the message for `notifyUrl`.
   */
  function send(
    notifyUrl: string | undefined,
    fields: FormPairs,
    extra: { resend?: boolean } = {},
  ): SentIpn | null {
    // No notify_url and no profile IPN URL in the simulator: PayPal sends nothing.
    if (!notifyUrl) return null;
    const faults = options.faults();
    const charset = faults.charset ?? options.charset;
    const tampered: FormPairs = fields.map(([name, value]) => {
      const override = faults.tamper?.[name as keyof NonNullable<PaypalFaults['tamper']>];
      return [name, override ?? value];
    });
    const middle = Math.min(6, tampered.length);
    const envelope: FormPairs = [
      ...tampered.slice(0, middle),
      ['charset', charset],
      ['notify_version', NOTIFY_VERSION],
      ...tampered.slice(middle),
      ['verify_sign', newVerifySign()],
      ...(options.mode === 'sandbox' ? ([['test_ipn', '1']] as FormPairs) : []),
      ...(extra.resend ? ([['resend', 'true']] as FormPairs) : []),
      ['ipn_track_id', newIpnTrackId()],
    ];
    const body = encodeForm(envelope, charset);
    // What the listener will decode (characters outside windows-1252 became '?').
    const decoded = decodePairs(parseFormBytes(body), charset);
    const ipn: SentIpn = {
      ipnTrackId: fieldOf(decoded, 'ipn_track_id') ?? '',
      sentAt: env.clock.now(),
      notifyUrl,
      charset,
      body,
      fields: decoded,
      deliveries: [],
    };
    for (const [key, name] of [
      ['txnType', 'txn_type'],
      ['paymentStatus', 'payment_status'],
      ['txnId', 'txn_id'],
      ['subscrId', 'subscr_id'],
    ] as const) {
      const value = fieldOf(decoded, name);
      if (value !== undefined) ipn[key] = value;
    }
    sent.push(ipn);
    byContent.set(JSON.stringify(decoded), ipn);
    byBody.set(bodyKey(body), ipn);
    const queued = {
      ipn,
      copies: 1 + Math.max(0, Math.floor(faults.duplicate ?? 0)),
      delay: faults.delayMs ?? 0,
    };
    if (faults.reorder) reorderBuffer.push(queued);
    else schedule(queued);
    return ipn;
  }

  return {
    send,
    /** Reordering fault: schedule the IPNs held since the last flush, newest first. Run at each flush. */
    releaseReordered(): void {
      if (reorderBuffer.length === 0) return;
      const batch = reorderBuffer.reverse();
      reorderBuffer = [];
      batch.forEach(schedule);
    },
    /** The message PayPal sent with exactly these decoded, ordered fields. */
    lookup: (fields: FormPairs): SentIpn | undefined => byContent.get(JSON.stringify(fields)),
    /** The message PayPal sent with exactly these body bytes. */
    lookupBody: (body: Uint8Array): SentIpn | undefined => byBody.get(bodyKey(body)),
    /** Manual re-send from IPN History: same fields plus `resend=true`, new ipn_track_id. */
    resend(ipnTrackId: string): SentIpn | null {
      const original = sent.find((ipn) => ipn.ipnTrackId === ipnTrackId);
      if (!original) throw new Error(`No IPN with ipn_track_id ${ipnTrackId}`);
      const core = original.fields.filter(
        ([name]) =>
          !['charset', 'notify_version', 'verify_sign', 'test_ipn', 'resend', 'ipn_track_id'].includes(name),
      );
      return send(original.notifyUrl, core, { resend: true });
    },
    records(): PaypalIpnRecord[] {
      return sent.map((ipn) => {
        const states = ipn.deliveries.map((delivery) => delivery.state);
        const state: PaypalIpnRecord['state'] =
          states.length === 0
            ? 'queued'
            : states.includes('delivered')
              ? 'delivered'
              : states.every((s) => s === 'gave-up')
                ? 'gave-up'
                : 'scheduled';
        const { deliveries, ...rest } = ipn;
        return {
          ...rest,
          state,
          attempts: deliveries.flatMap((delivery) => delivery.attempts).sort((a, b) => a.at - b.at),
          copies: deliveries.length,
        };
      });
    },
  };
}

export type IpnSender = ReturnType<typeof createIpnSender>;
