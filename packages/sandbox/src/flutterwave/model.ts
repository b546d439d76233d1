import type { SimulatorEnv } from '../lib/simulator';
import type { FlutterwaveFaults } from './faults';

/** Public test values of the simulator (never Flutterwave's): printed by the CLI, listed in the README. */
export const FLUTTERWAVE_SANDBOX_SECRET_KEY = 'FLWSECK_TEST-paybridgesandbox0000000000000000-X';
export const FLUTTERWAVE_SANDBOX_SECRET_HASH = 'paybridge-sandbox-flutterwave-secret-hash';

/** Retries of a webhook not answered 2xx. Flutterwave's schedule is UNCONFIRMED (reference §5.3): 3 × 30 min. */
export const FLUTTERWAVE_RETRY_DELAYS_MS: readonly number[] = [30 * 60_000, 30 * 60_000, 30 * 60_000];

/** Currencies the simulated account takes, with the exponent used to read and write major units. */
export const FLUTTERWAVE_SANDBOX_CURRENCIES: Readonly<Record<string, number>> = {
  NGN: 2,
  GHS: 2,
  KES: 2,
  UGX: 0,
  TZS: 2,
  RWF: 0,
  ZAR: 2,
  ZMW: 2,
  XAF: 0,
  XOF: 0,
  MWK: 2,
  EGP: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
};

export interface FlutterwaveConfig {
  secretKeys: string[];
  /** The dashboard's webhook secret hash; empty = none set (then no verif-hash header is sent). */
  secretHash: string;
  /** The dashboard's webhook URL (one per account); unset = no webhooks. */
  webhookUrl: string | null;
  /** Also send the newer `flutterwave-signature` header (UNCONFIRMED for v3, reference §5.2). */
  signatureHeader: boolean;
  /** The dashboard's "retry failed webhooks" switch, and the schedule used when it is on. */
  retries: boolean;
  retryDelaysMs: readonly number[];
  /** What a refund answers at once: `completed` (reference §7.2 sample) or `pending` until `completeRefunds()`. */
  refundStatus: 'completed' | 'pending';
  webhookTimeoutMs: number;
}

export interface SimCustomer {
  email: string;
  name?: string;
  phonenumber?: string;
}

/** A hosted checkout made by `POST /v3/payments`: no transaction until the buyer pays (reference §3.1). */
export interface SimCheckout {
  linkId: string;
  txRef: string;
  amount: number;
  currency: string;
  redirectUrl: string | null;
  customer: SimCustomer;
  meta: Record<string, unknown>;
  title: string;
  state: 'open' | 'paid' | 'closed';
  expiresAt: number;
  attemptsLeft: number;
}

export interface SimRefund {
  id: number;
  txId: number;
  amount: number;
  status: 'completed' | 'pending';
  comments: string;
  createdAt: string;
}

export interface SimTransaction {
  id: number;
  txRef: string;
  flwRef: string;
  amount: number;
  chargedAmount: number;
  currency: string;
  status: 'successful' | 'failed' | 'pending';
  paymentType: string;
  processorResponse: string;
  createdAt: string;
  customer: SimCustomer;
  meta: Record<string, unknown>;
  refunds: SimRefund[];
}

export interface FlutterwaveState {
  env: SimulatorEnv;
  config: FlutterwaveConfig;
  faults: FlutterwaveFaults;
  checkouts: Map<string, SimCheckout>;
  checkoutsByRef: Map<string, SimCheckout>;
  transactions: Map<number, SimTransaction>;
  refunds: Map<number, SimRefund>;
  nextTransactionId: number;
  nextRefundId: number;
}

export function newLinkId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Minor units → major-unit decimal text ("100.5", "2500"). */
export function majorText(minor: number, currency: string): string {
  const exponent = FLUTTERWAVE_SANDBOX_CURRENCIES[currency] ?? 2;
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  const fraction = digits.slice(-exponent).replace(/0+$/, '');
  const whole = digits.slice(0, -exponent);
  return fraction ? `${whole}.${fraction}` : whole;
}

/** A major-unit amount the merchant sent (JSON number or numeric string) → minor units, or null when invalid. */
export function minorFromMajor(value: unknown, currency: string): number | null {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return null;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const exponent = FLUTTERWAVE_SANDBOX_CURRENCIES[currency] ?? 2;
  const fraction = match[2] ?? '';
  if (fraction.replace(/0+$/, '').length > exponent) return null;
  const minor = Number(`${match[1]}${fraction.slice(0, exponent).padEnd(exponent, '0')}`);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** The JSON `amount` number of a minor amount (the API answers numbers, reference §5.3). */
export const majorNumber = (minor: number, currency: string) => Number(majorText(minor, currency));

/** The transaction as `/verify` and webhooks show it (reference §5.3, §6). */
export function transactionView(tx: SimTransaction): Record<string, unknown> {
  const fee = Math.round(tx.chargedAmount * 0.014);
  return {
    id: tx.id,
    tx_ref: tx.txRef,
    flw_ref: tx.flwRef,
    device_fingerprint: 'sandbox',
    amount: majorNumber(tx.amount, tx.currency),
    currency: tx.currency,
    charged_amount: majorNumber(tx.chargedAmount, tx.currency),
    app_fee: majorNumber(fee, tx.currency),
    merchant_fee: 0,
    processor_response: tx.processorResponse,
    auth_model: tx.paymentType === 'card' ? 'PIN' : 'NOAUTH',
    ip: '127.0.0.1',
    narration: 'paybridge sandbox',
    status: tx.status,
    payment_type: tx.paymentType,
    created_at: tx.createdAt,
    account_id: 17321,
    amount_settled: majorNumber(Math.max(0, tx.chargedAmount - fee), tx.currency),
    meta: tx.meta,
    customer: {
      id: 1000 + tx.id,
      name: tx.customer.name ?? 'Sandbox Buyer',
      phone_number: tx.customer.phonenumber ?? null,
      email: tx.customer.email,
      created_at: tx.createdAt,
    },
    ...(tx.paymentType === 'card'
      ? {
          card: {
            first_6digits: '553188',
            last_4digits: '2950',
            issuer: 'SANDBOX',
            country: 'NG',
            type: 'MASTERCARD',
          },
        }
      : {}),
  };
}
