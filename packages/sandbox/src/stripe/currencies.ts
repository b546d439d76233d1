import { StripeFailure } from './http';

/** Zero-decimal currencies: the amount is in major units (reference §7.2). */
export const ZERO_DECIMAL = new Set(
  'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '),
);
/** Three-decimal currencies: thousandths, last digit 0 (reference §7.3). */
export const THREE_DECIMAL = new Set('bhd jod kwd omr tnd'.split(' '));

/** Minimum charge per presentment currency in minor units (reference §7.5; UNCONFIRMED ones configurable by editing). */
export const MINIMUM_AMOUNTS: Readonly<Record<string, number>> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

const MAX_AMOUNT = 99_999_999;

export function checkCurrency(currency: string, param: string): void {
  if (!/^[a-z]{3}$/.test(currency))
    throw StripeFailure.invalid(`Invalid currency: ${currency.slice(0, 10)}.`, param);
}

/** The amount rules Stripe applies to a payment or a refund in `currency`; `total` also checks the minimum. */
export function checkAmount(
  amount: number,
  currency: string,
  param: string,
  total: boolean,
  wholeUnitCurrencies: readonly string[],
): void {
  if (amount > MAX_AMOUNT) {
    throw StripeFailure.invalid('Amount must be no more than 99,999,999.', param, 'amount_too_large');
  }
  if (wholeUnitCurrencies.includes(currency) && amount % 100 !== 0) {
    throw StripeFailure.invalid(
      `${currency.toUpperCase()} amounts must be whole units: the amount must be divisible by 100.`,
      param,
      'invalid_charge_amount_no_decimal_compatible',
    );
  }
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw StripeFailure.invalid(
      `${currency.toUpperCase()} amounts must end in 0 (three-decimal currency).`,
      param,
      'invalid_amount',
    );
  }
  const minimum = MINIMUM_AMOUNTS[currency];
  if (total && minimum !== undefined && amount > 0 && amount < minimum) {
    throw StripeFailure.invalid(
      `The Checkout Session's total amount due must add up to at least ${minimum} ${currency} (minor units).`,
      param,
      'amount_too_small',
    );
  }
}

/** "19.99 EUR", "1000 JPY", "5.120 KWD" for the hosted page. */
export function formatMoney(amount: number, currency: string): string {
  const exponent = ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2;
  if (exponent === 0) return `${amount} ${currency.toUpperCase()}`;
  const unit = 10 ** exponent;
  return `${Math.floor(amount / unit)}.${String(amount % unit).padStart(exponent, '0')} ${currency.toUpperCase()}`;
}
