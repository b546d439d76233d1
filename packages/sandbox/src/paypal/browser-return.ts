import type { BrowserStep } from '../lib/simulator';
import { noticePage } from './checkout-page';
import type { CheckoutOrder } from './checkout-request';
import type { FormPairs } from './ipn-encoding';
import type { Pdt } from './pdt';

/** First value of each variable, as a browser form would post it. */
export function toRecord(pairs: FormPairs): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of pairs) if (!(name in record)) record[name] = value;
  return record;
}

export interface ReturnSettings {
  /** Account-level Auto Return: always a GET, `rm` ignored (help ts1011). */
  autoReturn: boolean;
  /** PDT on: the Auto Return GET carries the PDT variables. */
  pdt: Pdt | null;
}

/**
 * Where the buyer lands after paying, honouring `rm` (protocol reference §4): `rm=2` POSTs the payment
 * variables (unauthenticated, display only), `rm=0`/`1` GET `return` without them; Auto Return always
 * GETs, with the PDT variables for Buy Now only (PDT does not cover subscriptions, §10).
 */
export function buyerReturn(order: CheckoutOrder, payment: FormPairs, settings: ReturnSettings): BrowserStep {
  const returnUrl = order.vars.return;
  if (!returnUrl) {
    return { method: 'NONE', html: noticePage('Payment complete', 'You paid with PayPal (sandbox).') };
  }
  if (settings.autoReturn) {
    const url = new URL(returnUrl);
    if (settings.pdt && order.kind === 'buy-now' && payment.some(([name]) => name === 'txn_id')) {
      for (const [name, value] of Object.entries(settings.pdt.returnParams(payment))) {
        url.searchParams.set(name, value);
      }
    }
    return { method: 'GET', url: url.toString() };
  }
  if (order.rm === 2) return { method: 'POST', url: returnUrl, fields: toRecord(payment) };
  return { method: 'GET', url: returnUrl };
}
