import { currencyExponent, PaybridgeError } from '@paybridge/core';

/**
 * Razorpay counts in the smallest currency unit (§2): paise for INR, the major amount for zero-decimal
 * currencies, and for three-decimal currencies (KWD, BHD, OMR) the smallest unit with its last digit 0.
 * That is our minor unit in every case, so the integer passes unchanged — only checked.
 */
export function toRazorpayAmount(amount: number, currency: string): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new PaybridgeError('INVALID_AMOUNT', `Razorpay needs a non-negative integer amount, got ${amount}`);
  }
  if (currencyExponent(currency) === 3 && amount % 10 !== 0) {
    throw new PaybridgeError(
      'INVALID_AMOUNT',
      `Razorpay takes ${currency} amounts in steps of 0.010 (the last digit of ${amount} must be 0)`,
    );
  }
  return amount;
}

/** A Razorpay amount and currency in ours: the same integer, the code upper-cased. */
export function fromRazorpayMoney(amount: number, currency: string): { amount: number; currency: string } {
  return { amount, currency: currency.toUpperCase() };
}
