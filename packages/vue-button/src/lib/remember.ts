/**
 * The return page usually knows nothing about the payment (the broker sends the buyer back to a
 * plain shop URL), so the button remembers the payment it started for `PaymentStatus` to pick up.
 * Session storage: per tab, gone with it. Storage may be disabled (private modes): then we forget.
 */
const KEY = 'paybridge:payment';

export function rememberPayment(paymentId: string): void {
  try {
    globalThis.sessionStorage?.setItem(KEY, paymentId);
  } catch {
    // Storage refused: the return page must pass `paymentId` itself.
  }
}

export function rememberedPaymentId(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}
