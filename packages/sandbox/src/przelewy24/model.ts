import type { Delivery } from '../lib/delivery';
import type { SimulatorEnv } from '../lib/simulator';
import type { P24Faults } from './faults';

/** A shop the simulator knows: the four values of P24's panel (reference §1). */
export interface P24Merchant {
  merchantId: number;
  posId: number;
  /** CRC key: salts every sign, never sent on the wire. */
  crc: string;
  /** API key ("klucz do raportów"): the HTTP Basic password. */
  apiKey: string;
}

/** The sandbox's default shop, printed by `credentials()`. */
export const P24_SANDBOX_MERCHANT: P24Merchant = {
  merchantId: 100200,
  posId: 100200,
  crc: 'a1b2c3d4e5f60718',
  apiKey: 'p24-sandbox-report-key-9f3c1d',
};

/** Currencies the simulated shop's contract takes (getpaid's list, reference §3.2). */
export const P24_CURRENCIES = [
  'PLN',
  'EUR',
  'GBP',
  'CZK',
  'USD',
  'BGN',
  'DKK',
  'HUF',
  'NOK',
  'SEK',
  'CHF',
  'RON',
] as const;

/** `status` of the transaction API (reference §6): 0 no payment, 1 advance (unverified), 2 verified, 3 returned. */
export type P24Status = 0 | 1 | 2 | 3;

/** Refund status of `GET /refund/by/orderId` (§8.3): 1 completed, 2 pending, 4 rejected. */
export type P24RefundStatus = 1 | 2 | 4;

export interface SimRefund {
  orderId: number;
  sessionId: string;
  requestId: string;
  refundsUuid: string;
  amount: number;
  description: string;
  status: P24RefundStatus;
  urlStatus: string | undefined;
  batchId: number;
  date: number;
}

export interface SimTransaction {
  token: string;
  merchant: P24Merchant;
  sessionId: string;
  amount: number;
  currency: string;
  description: string;
  email: string;
  urlReturn: string;
  urlStatus: string | undefined;
  registeredAt: number;
  /** Set when the buyer pays: P24's transaction number, above 2^31 (reference §5.1). */
  orderId: number | null;
  status: P24Status;
  methodId: number;
  statement: string;
  paidAt: number | null;
  /** The buyer left (decline/abandon): the page is closed, the status stays 0. */
  closed: boolean;
  refunds: SimRefund[];
}

export interface P24Config {
  merchants: P24Merchant[];
  /** Retry delays of a transaction notification until verify succeeds (reference §5.1), ms. */
  retryDelaysMs: readonly number[];
  /** How long P24 waits for the merchant's answer, ms. */
  notificationTimeoutMs: number;
  /** Refunds complete when requested (with their notification); false leaves them pending for `completeRefunds()`. */
  autoCompleteRefunds: boolean;
}

export interface P24State {
  env: SimulatorEnv;
  config: P24Config;
  faults: P24Faults;
  byToken: Map<string, SimTransaction>;
  /** Key `${merchantId}:${sessionId}`. */
  bySession: Map<string, SimTransaction>;
  byOrderId: Map<number, SimTransaction>;
  /** requestId and refundsUuid already used, per merchant (P24 answers "Request already exists"). */
  refundRequests: Set<string>;
  held: Delivery[];
  nextOrderId: number;
  nextBatchId: number;
}

const MINUTE = 60_000;
/** 3, 5, 15, 30, 60, 150 and 450 minutes (reference §5.1). */
export const P24_RETRY_DELAYS_MS: readonly number[] = [3, 5, 15, 30, 60, 150, 450].map((m) => m * MINUTE);

export const sessionKey = (merchantId: number, sessionId: string) => `${merchantId}:${sessionId}`;

export function newToken(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
}
