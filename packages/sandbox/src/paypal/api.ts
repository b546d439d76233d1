import type { SandboxClock } from '../lib/clock';
import type { PaypalAccount } from './checkout-request';
import type { PaypalFaults } from './faults';
import type { Ledger } from './ledger';
import { createNvpApi, type NvpOperation, type PaypalApiCredential } from './nvp-api';
import { refundTransaction } from './nvp-refund';
import { getTransactionDetails, transactionSearch } from './nvp-transactions';

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
  /** Operations beyond the transaction ones (the subscription calls). */
  more?: Record<string, NvpOperation>;
}

/** The simulator's NVP API over its ledger (and, through `more`, its subscription book). */
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
      ...setup.more,
    },
  });
}
