import { currencyDecimals, parseAmount } from './currencies';

export interface PaypalAccount {
  /** Primary email: sent back as `receiver_email`. */
  business: string;
  /** 13-character merchant account id: sent back as `receiver_id`. */
  receiverId: string;
  /** Secondary emails a button's `business` may name. */
  emails?: string[];
}

export type PeriodUnit = 'D' | 'W' | 'M' | 'Y';

export interface SubscriptionTerm {
  amountMinor: number;
  count: number;
  unit: PeriodUnit;
}

export interface SubscriptionPlan {
  trial1?: SubscriptionTerm;
  trial2?: SubscriptionTerm;
  regular: SubscriptionTerm;
  /** `src=1`: the regular period recurs; without it the subscription ends after one regular cycle. */
  recurring: boolean;
  /** `srt`: number of regular payments when recurring (unbounded when absent). */
  recurTimes?: number;
  /** `sra=1`. */
  reattempt: boolean;
}

/** A validated button: what the hosted page shows and what the IPNs echo. */
export interface CheckoutOrder {
  kind: 'buy-now' | 'subscription';
  account: PaypalAccount;
  /** Every variable the button sent, decoded, in order (rm=2 returns and IPNs echo some of them). */
  vars: Record<string, string>;
  currency: string;
  itemName: string;
  rm: 0 | 1 | 2;
  /** Buy Now total: amount × quantity + shipping + handling + tax. */
  grossMinor: number;
  quantity: number;
  plan?: SubscriptionPlan;
}

// Ranges of pN per unit (protocol reference §3).
const PERIOD_RANGES: Record<PeriodUnit, number> = { D: 90, W: 52, M: 24, Y: 5 };

const MAX_LENGTHS: Record<string, number> = {
  business: 127,
  item_name: 127,
  item_number: 127,
  invoice: 127,
  custom: 256,
  notify_url: 255,
  return: 1024,
  cancel_return: 1024,
};

export function findAccount(accounts: readonly PaypalAccount[], business: string): PaypalAccount | undefined {
  const wanted = business.trim().toLowerCase();
  return accounts.find(
    (account) =>
      account.business.toLowerCase() === wanted ||
      account.receiverId.toLowerCase() === wanted ||
      (account.emails ?? []).some((email) => email.toLowerCase() === wanted),
  );
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function parseTerm(
  vars: Record<string, string>,
  index: 1 | 2 | 3,
  currency: string,
  errors: string[],
): SubscriptionTerm | undefined {
  const amount = vars[`a${index}`];
  const count = vars[`p${index}`];
  const unit = vars[`t${index}`];
  if (amount === undefined && count === undefined && unit === undefined) return undefined;
  if (amount === undefined || count === undefined || unit === undefined) {
    errors.push(`a${index}, p${index} and t${index} go together`);
    return undefined;
  }
  const parsed = parseAmount(amount, currency);
  if ('error' in parsed) errors.push(`a${index}: ${parsed.error}`);
  if (!['D', 'W', 'M', 'Y'].includes(unit)) {
    errors.push(`t${index} must be D, W, M or Y`);
    return undefined;
  }
  const max = PERIOD_RANGES[unit as PeriodUnit];
  if (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > max) {
    errors.push(`p${index} must be an integer from 1 to ${max} when t${index}=${unit}`);
  }
  if (index === 3 && 'minor' in parsed && parsed.minor === 0) errors.push('a3 must be greater than 0');
  return {
    amountMinor: 'minor' in parsed ? parsed.minor : 0,
    count: Number(count),
    unit: unit as PeriodUnit,
  };
}

function parsePlan(vars: Record<string, string>, currency: string, errors: string[]): SubscriptionPlan {
  const trial1 = parseTerm(vars, 1, currency, errors);
  const trial2 = parseTerm(vars, 2, currency, errors);
  const regular = parseTerm(vars, 3, currency, errors);
  if (!regular && !errors.some((e) => e.startsWith('a3'))) errors.push('a3, p3 and t3 are required');
  if (trial2 && !trial1) errors.push('a2/p2/t2 are only allowed with a1/p1/t1');
  if (vars.amount !== undefined) errors.push('amount is not used by Subscribe buttons: use a3/p3/t3');
  if (vars.no_note !== '1') errors.push('no_note must be 1 for Subscribe buttons');
  const src = vars.src ?? '0';
  if (src !== '0' && src !== '1') errors.push('src must be 0 or 1');
  let recurTimes: number | undefined;
  if (vars.srt !== undefined) {
    if (src !== '1') errors.push('srt is only allowed with src=1');
    if (!/^\d+$/.test(vars.srt) || Number(vars.srt) < 1 || Number(vars.srt) > 52) {
      errors.push('srt must be an integer from 1 to 52');
    }
    recurTimes = Number(vars.srt);
  }
  const sra = vars.sra ?? '0';
  if (sra !== '0' && sra !== '1') errors.push('sra must be 0 or 1');
  return {
    ...(trial1 ? { trial1 } : {}),
    ...(trial2 ? { trial2 } : {}),
    regular: regular ?? { amountMinor: 0, count: 1, unit: 'M' },
    recurring: src === '1',
    ...(recurTimes !== undefined ? { recurTimes } : {}),
    reattempt: sra === '1',
  };
}

/** Validate a checkout the way PayPal's webscr does (protocol reference §2, §3, §5). */
export function validateCheckout(
  vars: Record<string, string>,
  accounts: readonly PaypalAccount[],
): { order: CheckoutOrder } | { errors: string[] } {
  const errors: string[] = [];
  const cmd = vars.cmd;
  if (cmd !== '_xclick' && cmd !== '_xclick-subscriptions') {
    return { errors: [`cmd ${cmd ?? '(missing)'} is not simulated: use _xclick or _xclick-subscriptions`] };
  }
  for (const [name, max] of Object.entries(MAX_LENGTHS)) {
    const value = vars[name];
    if (value !== undefined && value.length > max) errors.push(`${name} is longer than ${max} characters`);
  }
  for (const name of ['notify_url', 'return', 'cancel_return']) {
    const value = vars[name];
    if (value !== undefined && !isHttpUrl(value)) errors.push(`${name} is not an http(s) URL`);
  }
  const business = vars.business ?? '';
  const account = business ? findAccount(accounts, business) : undefined;
  if (!business) errors.push('business is required');
  else if (!account) errors.push(`business ${business} is not a PayPal account of this sandbox`);
  const currency = vars.currency_code ?? 'USD';
  if (currencyDecimals(currency) === undefined) errors.push(`currency_code ${currency} is not supported`);
  const rm = vars.rm ?? '0';
  if (rm !== '0' && rm !== '1' && rm !== '2') errors.push('rm must be 0, 1 or 2');

  let grossMinor = 0;
  let quantity = 1;
  let plan: SubscriptionPlan | undefined;
  if (cmd === '_xclick-subscriptions') {
    if (currencyDecimals(currency) !== undefined) plan = parsePlan(vars, currency, errors);
  } else if (currencyDecimals(currency) !== undefined) {
    if (vars.amount === undefined) {
      // PayPal lets the buyer type an amount; the simulator has no such step (see docs/paypal.md).
      errors.push('amount is required by the simulator (buyer-entered amounts are not simulated)');
    }
    if (vars.quantity !== undefined && !/^[1-9]\d{0,5}$/.test(vars.quantity)) {
      errors.push('quantity must be a positive integer');
    } else if (vars.quantity !== undefined) {
      quantity = Number(vars.quantity);
    }
    const amount = parseAmount(vars.amount ?? '0', currency);
    if ('error' in amount) errors.push(`amount: ${amount.error}`);
    else grossMinor = amount.minor * quantity;
    for (const name of ['shipping', 'handling', 'tax']) {
      const value = vars[name];
      if (value === undefined) continue;
      const extra = parseAmount(value, currency);
      if ('error' in extra) errors.push(`${name}: ${extra.error}`);
      else grossMinor += extra.minor;
    }
  }
  if (errors.length > 0 || !account) return { errors };
  return {
    order: {
      kind: plan ? 'subscription' : 'buy-now',
      account,
      vars,
      currency,
      itemName: vars.item_name ?? '',
      rm: Number(rm) as 0 | 1 | 2,
      grossMinor,
      quantity,
      ...(plan ? { plan } : {}),
    },
  };
}
