import {
  type BackendContext,
  PaybridgeError,
  type Payment,
  type PrepareResult,
  type Recurrence,
} from '@paybridge/core';
import { formatPaypalAmount } from './currencies';
import type { PaypalSettings } from './settings';

/** The path of the checkout form's target and of the IPN postback, below either host (§1). */
export const WEBSCR = '/cgi-bin/webscr';

/** Query parameter marking the `cancel_return` URL, so the return route knows the buyer gave up. */
export const CANCEL_PARAM = 'paypal_cancel';

/** PayPal truncates nothing for us: over-long values make the checkout fail (max lengths, §2). */
function clip(value: string, max: number): string {
  return [...value].slice(0, max).join('');
}

const PERIOD_UNIT: Record<Recurrence['interval'], { code: 'D' | 'W' | 'M' | 'Y'; max: number }> = {
  // Ranges of p1/p2/p3 by unit: D 1–90, W 1–52, M 1–24, Y 1–5 (protocols/paypal.md §3).
  day: { code: 'D', max: 90 },
  week: { code: 'W', max: 52 },
  month: { code: 'M', max: 24 },
  year: { code: 'Y', max: 5 },
};

/** `p3`/`t3` of a recurrence, e.g. every 3 months → ["3", "M"]; refuses what PayPal cannot bill. */
export function subscriptionPeriod(recurrence: Recurrence): { p3: string; t3: 'D' | 'W' | 'M' | 'Y' } {
  const unit = PERIOD_UNIT[recurrence.interval];
  if (!Number.isInteger(recurrence.every) || recurrence.every < 1 || recurrence.every > unit.max) {
    throw new PaybridgeError(
      'BACKEND_UNAVAILABLE',
      `PayPal bills every 1–${unit.max} ${recurrence.interval}(s), not every ${recurrence.every}`,
      { details: { recurrence } },
    );
  }
  return { p3: String(recurrence.every), t3: unit.code };
}

/**
 * `src`/`srt`: without `src=1` the subscription stops after one regular cycle; `srt` (recurring
 * times) is only meaningful with `src=1` and PayPal's 2012 guide allows 1–52 (others say "above 1"),
 * so a finite plan of 2–52 payments gets both and a single payment gets `src=0` (§3).
 */
function recurrenceCount(recurrence: Recurrence): Record<string, string> {
  if (recurrence.cycles === undefined) return { src: '1' };
  const cycles = recurrence.cycles;
  if (!Number.isInteger(cycles) || cycles < 1 || cycles > 52) {
    throw new PaybridgeError(
      'BACKEND_UNAVAILABLE',
      `PayPal subscriptions take 1–52 payments, not ${cycles}`,
      {
        details: { recurrence },
      },
    );
  }
  return cycles === 1 ? { src: '0' } : { src: '1', srt: String(cycles) };
}

/** PayPal's limits on the URLs of a button (§2): longer ones make the checkout fail, so refuse them here. */
const URL_LIMITS = { notify_url: 255, return: 1024, cancel_return: 1024 } as const;

function checkUrlLengths(fields: Record<string, string>): void {
  for (const [name, max] of Object.entries(URL_LIMITS)) {
    const length = fields[name]?.length ?? 0;
    if (length > max) {
      throw new PaybridgeError('INVALID_CONFIG', `PayPal takes a ${name} of at most ${max} characters`, {
        details: { field: name, length, max },
      });
    }
  }
}

/** The hidden fields of the Buy Now (`_xclick`) or Subscribe (`_xclick-subscriptions`) form. */
export function checkoutFields(
  payment: Payment,
  ctx: Pick<BackendContext, 'notifyUrl' | 'returnUrl'>,
  settings: PaypalSettings,
): Record<string, string> {
  const amount = formatPaypalAmount(payment.amount, payment.currency);
  if (payment.amount <= 0) {
    throw new PaybridgeError('INVALID_AMOUNT', 'PayPal takes no payment of zero', {
      details: { amount: payment.amount },
    });
  }
  const fields: Record<string, string> = { ...settings.formFields };
  const common: Record<string, string> = {
    business: settings.business,
    item_name: clip(payment.description || payment.orderId, 127),
    item_number: clip(payment.orderId, 127),
    currency_code: payment.currency,
    // Our payment id is the lookup key of every IPN; `custom` repeats it as a cross-check (§11.8).
    invoice: payment.id,
    custom: payment.id,
    notify_url: ctx.notifyUrl,
    return: ctx.returnUrl(payment.id),
    cancel_return: ctx.returnUrl(payment.id, { [CANCEL_PARAM]: '1' }),
    rm: settings.returnMethod === 'POST' ? '2' : '1',
    charset: settings.charsetForm,
  };
  checkUrlLengths(common);
  const buyer = payment.buyer;
  const prefill: Record<string, string> = {};
  if (buyer.firstName) prefill.first_name = clip(buyer.firstName, 32);
  if (buyer.lastName) prefill.last_name = clip(buyer.lastName, 64);
  if (buyer.email) prefill.email = clip(buyer.email, 127);

  if (payment.recurrence) {
    const { p3, t3 } = subscriptionPeriod(payment.recurrence);
    return {
      ...fields,
      cmd: '_xclick-subscriptions',
      ...common,
      a3: amount,
      p3,
      t3,
      ...recurrenceCount(payment.recurrence),
      // The 2008 and 2012 guides disagree on the default of `sra`: always send it (§3).
      sra: settings.reattemptFailedPayments ? '1' : '0',
      // Required to be 1 for Subscribe buttons (§3).
      no_note: '1',
      ...prefill,
    };
  }
  return { ...fields, cmd: '_xclick', ...common, amount, ...prefill };
}

/**
 * The redirect of a payment: a form the browser posts to PayPal, computed here without calling the
 * broker, in one of the currencies this backend offers.
 */
export async function prepareCheckout(
  payment: Payment,
  ctx: BackendContext,
  settings: PaypalSettings,
  currencies: readonly string[],
): Promise<PrepareResult> {
  if (!currencies.includes(payment.currency)) {
    throw new PaybridgeError(
      'UNSUPPORTED_CURRENCY',
      `${settings.displayName} does not take ${payment.currency}`,
      {
        details: { currency: payment.currency, backend: settings.id },
      },
    );
  }
  return {
    redirect: {
      method: 'POST',
      url: ctx.endpoint.replace(/\/+$/, '') + WEBSCR,
      fields: checkoutFields(payment, ctx, settings),
    },
  };
}
