import { availableBackends } from '../availability';
import { PaybridgeError } from '../errors';
import { json } from '../lib/responses';
import { resolveTestMode } from '../lib/runtime';
import { isCurrencyCode } from '../money';
import type { RouteContext } from './context';

/** `GET /methods?currency=&amount=&recurring=`: which backends can take this purchase, and why not. */
export async function methodsRoute({ runtime, url }: RouteContext): Promise<Response> {
  const currency = url.searchParams.get('currency')?.toUpperCase();
  if (!currency) throw new PaybridgeError('BAD_REQUEST', 'currency (ISO 4217) is required');
  if (!isCurrencyCode(currency)) {
    // Echoed only when it has the shape of a code: an error never repeats arbitrary input.
    const shown = /^[A-Z]{3}$/.test(currency) ? currency : null;
    throw new PaybridgeError(
      'BAD_REQUEST',
      `currency${shown ? ` "${shown}"` : ''} is not a supported ISO 4217 code`,
      shown ? { details: { currency: shown } } : {},
    );
  }
  const amountText = url.searchParams.get('amount');
  const amount = amountText === null || amountText === '' ? undefined : Number(amountText);
  if (amount !== undefined && !(Number.isSafeInteger(amount) && amount >= 0)) {
    throw new PaybridgeError('BAD_REQUEST', 'amount must be an integer of minor units');
  }
  const recurring = ['1', 'true'].includes(url.searchParams.get('recurring') ?? '');
  return json(
    availableBackends(
      [...runtime.backends.values()],
      { currency, recurring, ...(amount === undefined ? {} : { amount }) },
      (backend) => resolveTestMode(runtime, backend),
    ),
  );
}
