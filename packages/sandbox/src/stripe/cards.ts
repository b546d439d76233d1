/**
 * Stripe's test cards and IBANs (reference §10), as the hosted page understands them. Any future expiry
 * and any CVC are accepted; the number alone decides the outcome.
 */
export type CardOutcome =
  | { kind: 'success'; brand: string; after?: 'refund_fails' | 'disputed' }
  | { kind: 'three_d_secure'; brand: string }
  | { kind: 'decline'; brand: string; code: string; declineCode?: string; message: string };

const declined = (declineCode: string, message: string, code = 'card_declined'): CardOutcome => ({
  kind: 'decline',
  brand: 'visa',
  code,
  ...(code === 'card_declined' ? { declineCode } : {}),
  message,
});

export const TEST_CARDS: Readonly<Record<string, CardOutcome>> = {
  '4242424242424242': { kind: 'success', brand: 'visa' },
  '4000056655665556': { kind: 'success', brand: 'visa' },
  '5555555555554444': { kind: 'success', brand: 'mastercard' },
  '378282246310005': { kind: 'success', brand: 'amex' },
  '4000000000000077': { kind: 'success', brand: 'visa' },
  '4000000000005126': { kind: 'success', brand: 'visa', after: 'refund_fails' },
  '4000000000000259': { kind: 'success', brand: 'visa', after: 'disputed' },
  '4000002500003155': { kind: 'three_d_secure', brand: 'visa' },
  '4000002760003184': { kind: 'three_d_secure', brand: 'visa' },
  '4000000000003220': { kind: 'three_d_secure', brand: 'visa' },
  '4000000000000002': declined('generic_decline', 'Your card was declined.'),
  '4000000000009995': declined('insufficient_funds', 'Your card has insufficient funds.'),
  '4000000000009987': declined('lost_card', 'Your card was declined.'),
  '4000000000009979': declined('stolen_card', 'Your card was declined.'),
  '4000000000000069': declined('expired_card', 'Your card has expired.', 'expired_card'),
  '4000000000000127': declined('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  '4000000000000119': declined(
    'processing_error',
    'An error occurred while processing your card. Try again in a little bit.',
    'processing_error',
  ),
};

export function cardOutcome(rawNumber: string): CardOutcome {
  const number = rawNumber.replace(/[\s-]/g, '');
  const known = TEST_CARDS[number];
  if (known) return known;
  return {
    kind: 'decline',
    brand: 'unknown',
    code: 'invalid_number',
    message: 'Your card number is incorrect.',
  };
}

/** SEPA Direct Debit test IBANs: the buyer completes the page, the debit settles (or fails) later. */
export const TEST_IBANS: Readonly<Record<string, 'succeeds' | 'fails'>> = {
  DE89370400440532013000: 'succeeds',
  DE62370400440532013001: 'fails',
  AT611904300234573201: 'succeeds',
  AT861904300235473202: 'fails',
  FR1420041010050500013M02606: 'succeeds',
  FR3020041010050500013M02609: 'fails',
};

export function ibanOutcome(raw: string): 'succeeds' | 'fails' | null {
  return TEST_IBANS[raw.replace(/\s/g, '').toUpperCase()] ?? null;
}

export const last4 = (number: string): string => number.replace(/[\s-]/g, '').slice(-4);
