import type { SandboxClock } from '../lib/clock';
import type { PaypalAccount } from './checkout-request';
import type { PaypalFaults } from './faults';
import type { Ledger } from './ledger';
import { createNvpApi, type PaypalApiCredential } from './nvp-api';
import { manageProfileStatus, profileDetails } from './nvp-profiles';
import { refundTransaction } from './nvp-refund';
import { getTransactionDetails, transactionSearch } from './nvp-transactions';
import type { SubscriptionBook } from './subscription-book';

/**
 * NVP API credentials of the default test account `merchant@example.com`: one 3-token (signature) set
 * for `/paypal/nvp`, one certificate set for `/paypal/cert/nvp`. Public test values, never for real money.
 */
export const DEFAULT_PAYPAL_API_CREDENTIALS: readonly PaypalApiCredential[] = [
  {
    username: 'merchant_api1.example.com',
    password: 'SANDBOX3TOKENPWD',
    signature: 'AFcWxV21C7fd0v3bYYYRCpSSRl31A-sandbox-signature-0123456789',
    business: 'merchant@example.com',
  },
  {
    username: 'merchant-cert_api1.example.com',
    password: 'SANDBOXCERTPWD',
    business: 'merchant@example.com',
  },
];

/** Highest NVP VERSION the simulator accepts by default (PayPal's current maximum is UNCONFIRMED, §2). */
export const DEFAULT_MAX_NVP_VERSION = 204;

export interface PaypalApiSetup {
  clock: SandboxClock;
  accounts: readonly PaypalAccount[];
  credentials?: readonly PaypalApiCredential[];
  maxVersion?: number;
  faults: () => PaypalFaults;
  ledger: Ledger;
  book: SubscriptionBook;
}

/** The simulator's NVP API over its ledger and subscription book. */
export function createPaypalApi(setup: PaypalApiSetup) {
  return createNvpApi({
    clock: setup.clock,
    accounts: setup.accounts,
    credentials: setup.credentials ?? DEFAULT_PAYPAL_API_CREDENTIALS,
    faults: setup.faults,
    maxVersion: setup.maxVersion ?? DEFAULT_MAX_NVP_VERSION,
    operations: {
      GetTransactionDetails: getTransactionDetails(setup.ledger),
      TransactionSearch: transactionSearch(setup.ledger),
      RefundTransaction: refundTransaction(setup.ledger),
      ManageRecurringPaymentsProfileStatus: manageProfileStatus(setup.book),
      GetRecurringPaymentsProfileDetails: profileDetails(setup.book, setup.ledger),
    },
  });
}
