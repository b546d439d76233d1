import { TEST_CARDS, TEST_CVV } from './cmcic/cards';
import type { CmcicTpe } from './cmcic/index';
import {
  DEFAULT_PAYPAL_ACCOUNT,
  DEFAULT_PAYPAL_API_CREDENTIALS,
  type PaypalAccount,
  type PaypalApiCredential,
} from './paypal/index';
import type { PayuPos } from './payu/index';
import { type CardOutcome, TEST_CARDS as STRIPE_CARDS, TEST_IBANS as STRIPE_IBANS } from './stripe/cards';
import { STRIPE_SANDBOX_SECRET_KEY } from './stripe/index';

/**
 * The standalone sandbox's CM-CIC test terminals, one per MAC scheme (issue 21). Public test values,
 * printed at start-up and listed in the README: never use them with a real bank.
 */
export const DEFAULT_CMCIC_TPES: readonly Omit<CmcicTpe, 'retourUrl'>[] = [
  {
    tpe: '9000001',
    key: 'C0FFEE0123456789ABCDEF0123456789ABCDEF01',
    societe: 'paybridgetest',
    scheme: 'current',
  },
  {
    tpe: '9000002',
    key: 'C0FFEE0123456789ABCDEF0123456789ABCDEF01',
    societe: 'paybridgetest',
    scheme: 'legacy',
  },
];

/** What each test card does on the CM-CIC card page (any future expiry; CVV `TEST_CVV`). */
export const CMCIC_TEST_CARD_OUTCOMES: ReadonlyArray<{ card: string; outcome: string }> = [
  { card: TEST_CARDS.accepted, outcome: 'accepted' },
  { card: TEST_CARDS.refused, outcome: 'refused (motifrefus=Refus)' },
  { card: TEST_CARDS.fraudFiltered, outcome: 'blocked by the fraud filter (motifrefus=filtrage)' },
  { card: TEST_CARDS.fraudInformation, outcome: 'accepted, fraud filter in information mode' },
  { card: 'any other number, or a CVV other than 123', outcome: 'refused (Refus)' },
];

/** The buttons of the PayPal and PayU hosted pages: these brokers' sandboxes have no card form. */
export const HOSTED_PAGE_OUTCOMES = {
  paypal: {
    pay: 'Completed',
    cancel: 'back to cancel_return, no IPN',
    pending: 'Pending (pending_reason from the form, default echeck)',
    deny: 'Pending, then Denied',
    fail: 'Pending, then Failed',
  },
  payu: {
    pay: 'PENDING then COMPLETED',
    pay_wfc: 'PENDING then WAITING_FOR_CONFIRMATION (the merchant captures or cancels)',
    decline: 'PENDING then CANCELED, back to continueUrl with error=501',
  },
} as const;

function stripeOutcome(outcome: CardOutcome): string {
  if (outcome.kind === 'success') {
    if (outcome.after === 'refund_fails') return 'succeeds; a refund of it fails';
    return outcome.after === 'disputed' ? 'succeeds, then disputed' : 'succeeds';
  }
  if (outcome.kind === 'three_d_secure') return '3-D Secure challenge';
  return `declined (${outcome.declineCode ?? outcome.code})`;
}

/** Stripe's test cards and IBANs as the Stripe simulator's hosted Checkout understands them. */
export const STRIPE_TEST_CARD_OUTCOMES: ReadonlyArray<{ card: string; outcome: string }> = [
  ...Object.entries(STRIPE_CARDS).map(([card, outcome]) => ({ card, outcome: stripeOutcome(outcome) })),
  { card: 'any other number', outcome: 'declined (invalid_number)' },
  ...Object.entries(STRIPE_IBANS).map(([iban, outcome]) => ({
    card: iban,
    outcome: `SEPA debit ${outcome}`,
  })),
];

export interface TestCredentials {
  paypal: {
    accounts: readonly PaypalAccount[];
    /** NVP API credentials: with `signature` for /paypal/nvp, without for /paypal/cert/nvp. */
    api: readonly PaypalApiCredential[];
    outcomes: typeof HOSTED_PAGE_OUTCOMES.paypal;
  };
  payu: { pos: readonly PayuPos[]; outcomes: typeof HOSTED_PAGE_OUTCOMES.payu };
  stripe: { secretKey: string; cards: typeof STRIPE_TEST_CARD_OUTCOMES };
  cmcic: {
    tpes: ReadonlyArray<Omit<CmcicTpe, 'key'> & { key: string }>;
    cards: typeof CMCIC_TEST_CARD_OUTCOMES;
    cvv: string;
    expiry: string;
  };
}

export function testCredentials(input: {
  paypalAccounts?: readonly PaypalAccount[];
  paypalApiCredentials?: readonly PaypalApiCredential[];
  payuPos: readonly PayuPos[];
  cmcicTpes: readonly CmcicTpe[];
  stripeSecretKey?: string;
}): TestCredentials {
  return {
    paypal: {
      accounts: input.paypalAccounts?.length ? input.paypalAccounts : [DEFAULT_PAYPAL_ACCOUNT],
      api: input.paypalApiCredentials ?? DEFAULT_PAYPAL_API_CREDENTIALS,
      outcomes: HOSTED_PAGE_OUTCOMES.paypal,
    },
    payu: { pos: input.payuPos, outcomes: HOSTED_PAGE_OUTCOMES.payu },
    stripe: {
      secretKey: input.stripeSecretKey ?? STRIPE_SANDBOX_SECRET_KEY,
      cards: STRIPE_TEST_CARD_OUTCOMES,
    },
    cmcic: {
      tpes: input.cmcicTpes,
      cards: CMCIC_TEST_CARD_OUTCOMES,
      cvv: TEST_CVV,
      expiry: 'any future MM/YY',
    },
  };
}

/** The start-up banner of `paybridge-sandbox`: every test credential and card, one per line. */
export function credentialsText(credentials: TestCredentials): string {
  const lines: string[] = ['Test credentials (public test values, never for real money):'];
  for (const account of credentials.paypal.accounts) {
    lines.push(`  PayPal business  ${account.business}  (receiver id ${account.receiverId})`);
  }
  for (const api of credentials.paypal.api) {
    lines.push(
      api.signature === undefined
        ? `  PayPal NVP API (certificate, /paypal/cert/nvp)  USER ${api.username}  PWD ${api.password}  for ${api.business}`
        : `  PayPal NVP API (signature, /paypal/nvp)  USER ${api.username}  PWD ${api.password}  SIGNATURE ${api.signature}  for ${api.business}`,
    );
  }
  for (const pos of credentials.payu.pos) {
    lines.push(
      `  PayU POS ${pos.posId}  client_id ${pos.clientId}  client_secret ${pos.clientSecret}  second key (MD5) ${pos.secondKey}${pos.currency ? `  ${pos.currency}` : ''}`,
    );
  }
  for (const tpe of credentials.cmcic.tpes) {
    lines.push(
      `  CM-CIC TPE ${tpe.tpe}  key ${tpe.key}  company (societe) ${tpe.societe}  MAC scheme ${tpe.scheme}  mode ${tpe.mode ?? 'immediate'}  return URL ${tpe.retourUrl || '(none: pass --cmcic-retour <url>)'}`,
    );
  }
  lines.push(`  Stripe secret key ${credentials.stripe.secretKey}`);
  lines.push(`CM-CIC test cards (CVV ${credentials.cmcic.cvv}, ${credentials.cmcic.expiry}):`);
  for (const { card, outcome } of credentials.cmcic.cards) lines.push(`  ${card}  ${outcome}`);
  lines.push('Stripe test cards (any future expiry, any CVC) and IBANs:');
  for (const { card, outcome } of credentials.stripe.cards) lines.push(`  ${card}  ${outcome}`);
  lines.push('PayPal checkout buttons:');
  for (const [button, outcome] of Object.entries(credentials.paypal.outcomes))
    lines.push(`  ${button}  ${outcome}`);
  lines.push('PayU hosted page buttons:');
  for (const [button, outcome] of Object.entries(credentials.payu.outcomes))
    lines.push(`  ${button}  ${outcome}`);
  return lines.join('\n');
}
