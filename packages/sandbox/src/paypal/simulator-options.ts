import type { PaypalAccount } from './checkout-request';
import type { PaypalFaults } from './faults';
import type { PaypalCharset } from './ipn-encoding';
import type { FeeFormula, RefundFeePolicy } from './ledger';
import type { PaypalApiCredential } from './nvp-api';
import type { PaypalAutoReturn } from './pdt';
import type { PostbackComparison } from './postback-verifier';
import type { ProfileCancelIpn } from './subscription-book';

export interface PaypalSimulatorOptions {
  /** Merchant accounts buttons may name in `business`. Default: merchant@example.com / MERCHANT12345. */
  accounts?: PaypalAccount[];
  /** Account "encoding of data sent from PayPal": IPN bodies and their `charset` field. Default windows-1252. */
  charset?: PaypalCharset;
  /** 'sandbox' (default) adds `test_ipn=1` to every IPN; 'live' never does. */
  mode?: 'sandbox' | 'live';
  /**
   * How the verification endpoint matches a postback to the IPN it echoes: `bytes` (default) VERIFIES only
   * the exact body bytes with `cmd=_notify-validate` added at any position; `values` compares the decoded
   * ordered variables, so `+` versus `%20` passes, as PayPal itself appears to (protocol reference §7.2).
   */
  postbackComparison?: PostbackComparison;
  /**
   * How long a message stays verifiable after it was sent, in sandbox-clock ms. Default: for ever.
   * PayPal's window is UNCONFIRMED (protocol reference §7.1); set it to test late re-verification.
   */
  verifiableForMs?: number;
  /** How long the IPN sender waits for the listener's answer (real ms). Default 30 000 (UNCONFIRMED, §6). */
  ipnTimeoutMs?: number;
  /** Answer 403 to verification postbacks without a User-Agent header, as PayPal's edge did. Default false. */
  requireUserAgent?: boolean;
  /** PayPal's fee on a payment (minor units). Default 3.49 % + a fixed fee. */
  fee?: FeeFormula;
  /**
   * Account-level Auto Return (and PDT): the buyer always comes back with a GET, `rm` ignored; with
   * `pdtIdentityToken` the GET carries the PDT variables and `cmd=_notify-synch` answers. Default off.
   */
  autoReturn?: PaypalAutoReturn;
  /** Initial faults (the same object is exposed, mutable, as `simulator.faults`). */
  faults?: PaypalFaults;
  /** NVP API credentials (default: `DEFAULT_PAYPAL_API_CREDENTIALS`, for merchant@example.com). */
  apiCredentials?: PaypalApiCredential[];
  /**
   * Which IPN a cancellation of an `I-` profile sends (API cancel, buyer or merchant cancel): Standard's
   * `subscr_cancel` (default), `recurring_payment_profile_cancel`, or `both` — accounts differ (§7, UNCONFIRMED).
   */
  profileCancelIpn?: ProfileCancelIpn;
  /**
   * Fee given back on refunds (IPN `mc_fee`, NVP `FEEREFUNDAMT`): `proportional` (default, older accounts)
   * or `none` (PayPal's current policy keeps the fee, protocol reference paypal-api.md §5).
   */
  refundFee?: RefundFeePolicy;
  /** Highest NVP `VERSION` accepted (default 204). */
  maxApiVersion?: number;
}
