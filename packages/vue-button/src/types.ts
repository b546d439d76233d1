/**
 * The shapes the button exchanges with the bridge. They mirror `@paybridge/core` (`button.ts`,
 * `config.ts`, `backend.ts`) structurally, re-declared here so that a Vue app needs neither core
 * nor zod in its browser bundle; `types.test.ts` fails to typecheck if the two drift apart.
 */

export interface Recurrence {
  interval: 'day' | 'week' | 'month' | 'year';
  /** Every N intervals (1 = every month). */
  every: number;
  /** Total number of payments; absent = until cancelled. */
  cycles?: number;
}

/** One way to buy what the button sells. */
export interface ButtonOption {
  id?: string;
  description: string;
  /** Minor units (1999 = 19.99 EUR). */
  amount: number;
  currency: string;
  recurrence?: Recurrence | null;
  customFields?: Record<string, string>;
}

/** The server-signed configuration of a payment button (the payment-buttons design). */
export interface ButtonConfig {
  reference: string;
  orderDate?: string;
  email?: string;
  language?: string;
  options: ButtonOption[];
  /** Restrict the brokers offered (backend ids). */
  paymentOptions?: { backends?: string[] };
  imageUrl?: string;
  text?: string;
  backUrl?: string;
  acceptedUrl?: string;
  declinedUrl?: string;
  /** When the signed token stops being accepted (set by the server; `null`: never). */
  expiresAt?: string | null;
}

/** What the server renders into the page: `bridge.signButton(config)` and the config itself. */
export interface SignedButton {
  token: string;
  config: ButtonConfig;
}

export interface UnavailableReason {
  code: 'CURRENCY' | 'CAPABILITY' | 'AMOUNT_LIMIT' | 'CONFIGURATION';
  message: string;
}

/** Optional credentials a backend runs without, and the operations they leave off (never a secret). */
export interface MissingCredentials {
  setting: string;
  message: string;
  operations: ReadonlyArray<
    'capture' | 'cancel' | 'refund' | 'partialRefund' | 'recurring' | 'pull' | 'partialCapture'
  >;
}

/** Answer of `GET /methods`. */
export interface AvailableBackends {
  available: Array<{
    id: string;
    displayName: string;
    testMode: boolean;
    missingCredentials?: MissingCredentials[];
  }>;
  unavailable: Array<{
    id: string;
    displayName: string;
    reasons: UnavailableReason[];
    missingCredentials?: MissingCredentials[];
  }>;
}

export type Redirect =
  | { method: 'GET'; url: string }
  | { method: 'POST'; url: string; fields: Record<string, string> };

/** The part of `POST /start`'s JSON answer the button uses. */
export interface StartResponse {
  payment: { id: string; status: string; amount: number; currency: string };
  redirect: Redirect;
}

export type PaymentStatusValue =
  | 'new'
  | 'pending'
  | 'authorized'
  | 'partially_paid'
  | 'paid'
  | 'failed'
  | 'expired'
  | 'partially_refunded'
  | 'refunded';

/** Answer of `GET /status/:paymentId` (no personal data). */
export interface PublicPaymentStatus {
  id: string;
  status: PaymentStatusValue;
  amount: number;
  currency: string;
  settled: boolean;
  successUrl: string | null;
  failureUrl: string | null;
}

/** The `fetch` the components use (tests and SSR inject their own). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
