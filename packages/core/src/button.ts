import type { Recurrence } from './types';

/** One way to buy what the button sells. */
export interface ButtonOption {
  id?: string;
  description: string;
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
  /**
   * ISO instant after which the token is refused. Unset: the bridge's `buttonTtlSeconds` after
   * signing (24 h by default); `null`: never (an explicit choice, for buttons printed once).
   */
  expiresAt?: string | null;
}
