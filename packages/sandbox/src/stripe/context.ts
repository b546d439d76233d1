import type { EventCause } from './events';
import type { Params } from './form';
import type { StripeState } from './model';

/** One authenticated API call: who (account), what (params), and the cause its events will name. */
export interface ApiCall {
  state: StripeState;
  /** null = the platform; else the connected account named by `Stripe-Account`. */
  account: string | null;
  params: Params;
  cause: EventCause;
}
