import type { ApiCall } from './context';
import { checkCurrency } from './currencies';
import type { Params } from './form';
import { StripeFailure } from './http';
import { type LineItem, newId } from './model';

/** Validation of a Checkout Session's nested parameters: line items, Connect data, URLs. */
const INTERVALS = ['day', 'week', 'month', 'year'] as const;
const MAX_INTERVAL_DAYS = { day: 1, week: 7, month: 31, year: 366 } as const;

export function lineItem(item: Params, index: number, mode: 'payment' | 'subscription'): LineItem {
  item.onlyKnown(['price', 'price_data', 'quantity']);
  const price = item.string('price');
  if (price) throw StripeFailure.missing('price', price, `line_items[${index}][price]`);
  const data = item
    .object('price_data')
    .onlyKnown([
      'currency',
      'unit_amount',
      'unit_amount_decimal',
      'product_data',
      'recurring',
      'tax_behavior',
      'product',
    ]);
  const currency = data.requiredString('currency');
  checkCurrency(currency, `line_items[${index}][price_data][currency]`);
  let unitAmount = data.integer('unit_amount');
  const decimal = data.string('unit_amount_decimal');
  if (unitAmount === undefined && decimal !== undefined) {
    if (!/^\d+$/.test(decimal))
      throw StripeFailure.invalid(
        'The sandbox takes whole unit_amount_decimal values only.',
        `line_items[${index}][price_data][unit_amount_decimal]`,
      );
    unitAmount = Number(decimal);
  }
  if (unitAmount === undefined || unitAmount < 0) {
    throw StripeFailure.invalid(
      `Missing required param: line_items[${index}][price_data][unit_amount].`,
      `line_items[${index}][price_data][unit_amount]`,
      'parameter_missing',
    );
  }
  const quantity = item.integer('quantity');
  if (quantity === undefined || quantity < 1) {
    throw StripeFailure.invalid(
      `Missing required param: line_items[${index}][quantity].`,
      `line_items[${index}][quantity]`,
      'parameter_missing',
    );
  }
  const name = data.object('product_data').string('name') ?? data.string('product') ?? '';
  if (!name)
    throw StripeFailure.invalid(
      `Missing required param: line_items[${index}][price_data][product_data][name].`,
      `line_items[${index}][price_data][product_data]`,
      'parameter_missing',
    );
  const recurring = data.object('recurring');
  const interval = recurring.oneOf('interval', INTERVALS);
  if (interval && mode !== 'subscription') {
    throw StripeFailure.invalid(
      'You must use `subscription` mode for recurring prices.',
      `line_items[${index}][price_data][recurring]`,
    );
  }
  const count = recurring.integer('interval_count') ?? 1;
  if (interval && (count < 1 || count * MAX_INTERVAL_DAYS[interval] > 3 * 366)) {
    throw StripeFailure.invalid(
      'Invalid recurring interval_count.',
      `line_items[${index}][price_data][recurring][interval_count]`,
    );
  }
  return {
    id: newId('li', 24),
    quantity,
    unitAmount,
    currency,
    name,
    ...(interval ? { recurring: { interval, interval_count: count } } : {}),
  };
}

/** Destination charges (`transfer_data[destination]`) and fees (reference §8.2, §8.3). */
export function connectData(call: ApiCall, piData: Params, total: number): Record<string, unknown> {
  const dest = piData.object('transfer_data').onlyKnown(['destination', 'amount']).string('destination');
  const fee = piData.integer('application_fee_amount');
  if (fee !== undefined) {
    if (!dest && call.account === null) {
      throw StripeFailure.invalid(
        'Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).',
        'payment_intent_data[application_fee_amount]',
      );
    }
    if (fee < 0 || fee > total)
      throw StripeFailure.invalid(
        'application_fee_amount must be between 0 and the amount.',
        'payment_intent_data[application_fee_amount]',
      );
  }
  return {
    application_fee_amount: fee ?? null,
    transfer_data: dest
      ? { destination: destination(call, dest, 'payment_intent_data[transfer_data][destination]') }
      : null,
    on_behalf_of: piData.string('on_behalf_of') ?? null,
  };
}

export function destination(call: ApiCall, id: string, param: string): string {
  if (call.account !== null || !call.state.config.connectedAccounts.includes(id)) {
    throw StripeFailure.invalid(`No such destination: '${id.slice(0, 60)}'`, param, 'resource_missing');
  }
  return id;
}

export function url(value: string, param: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
  } catch {
    // falls through
  }
  throw StripeFailure.invalid('Not a valid URL', param, 'url_invalid');
}
