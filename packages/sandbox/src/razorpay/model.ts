import type { SimulatorEnv } from '../lib/simulator';
import type { RazorpayFaults } from './faults';

/** A key pair of a simulated Razorpay account (§1). */
export interface RazorpayAccount {
  keyId: string;
  keySecret: string;
}

/** A webhook configured in the simulated Dashboard (§7.1): its URL, its own secret, its events. */
export interface RazorpayWebhook {
  url: string;
  secret: string;
  /** Events it is subscribed to; absent = every event the simulator sends. */
  events?: readonly string[];
}

/** The public test key pair of the sandbox. Never a real Razorpay key. */
export const RAZORPAY_SANDBOX_KEY_ID = 'rzp_test_PaybridgeSandbox1';
export const RAZORPAY_SANDBOX_KEY_SECRET = 'paybridgeSandboxKeySecret0001';

export interface RazorpayConfig {
  accounts: RazorpayAccount[];
  webhooks: RazorpayWebhook[];
  /** The account's Payment Capture setting (§6.2): `auto` (default) or `manual`. */
  captureMode: 'auto' | 'manual';
  /** How long a pending refund takes to be processed on the simulator's clock (ms). */
  refundProcessingMs: number;
  /** Serialise webhook bodies with `/` escaped as `\/` (§7.2, UNCONFIRMED): default true. */
  escapeSlashes: boolean;
}

export type LinkStatus = 'created' | 'partially_paid' | 'expired' | 'cancelled' | 'paid';
export type PaymentStatus = 'created' | 'authorized' | 'captured' | 'failed' | 'refunded';

export interface SimLink {
  id: string;
  keyId: string;
  code: string;
  amount: number;
  amountPaid: number;
  currency: string;
  status: LinkStatus;
  description: string;
  referenceId: string;
  expireBy: number;
  callbackUrl: string | null;
  notes: Record<string, string>;
  customer: Record<string, string>;
  orderId: string | null;
  createdAt: number;
  updatedAt: number;
  cancelledAt: number;
  expiredAt: number;
}

export interface SimOrder {
  id: string;
  amount: number;
  amountPaid: number;
  currency: string;
  status: 'created' | 'attempted' | 'paid';
  attempts: number;
  notes: Record<string, string>;
  linkId: string;
  createdAt: number;
}

export interface SimPayment {
  id: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  orderId: string;
  linkId: string;
  method: string;
  amountRefunded: number;
  notes: Record<string, string>;
  errorCode: string | null;
  errorDescription: string | null;
  createdAt: number;
}

export interface SimRefund {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  status: 'pending' | 'processed' | 'failed';
  speedRequested: 'normal' | 'optimum';
  receipt: string | null;
  notes: Record<string, string>;
  createdAt: number;
  /** Clock time at which a pending refund is processed. */
  dueAt: number;
}

export interface RazorpayState {
  env: SimulatorEnv;
  config: RazorpayConfig;
  faults: RazorpayFaults;
  links: Map<string, SimLink>;
  orders: Map<string, SimOrder>;
  payments: Map<string, SimPayment>;
  refunds: Map<string, SimRefund>;
  /** `X-Refund-Idempotency` key → the body it was first sent with and the refund it made (§8.1). */
  refundKeys: Map<string, { body: string; refundId: string }>;
  /** Deliveries that gave up before `enableWebhooks()`: they no longer keep their webhook disabled. */
  reenabled: Set<number>;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Razorpay-shaped ids: a prefix and 14 alphanumerics (`plink_…`, `pay_…`, `order_…`, `rfnd_…`). */
export function newId(prefix: string, length = 14): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return prefix ? `${prefix}_${out}` : out;
}

export const seconds = (ms: number) => Math.floor(ms / 1000);
