import { errorJson, readObject, success } from './http';
import {
  FLUTTERWAVE_SANDBOX_CURRENCIES,
  type FlutterwaveState,
  minorFromMajor,
  newLinkId,
  type SimCheckout,
} from './model';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `POST /v3/payments` (reference §3.1): validates the Standard fields and answers the hosted link.
 * A tx_ref already used is refused (unique per transaction, §3.1 and §13).
 */
export async function createPayment(state: FlutterwaveState, request: Request): Promise<Response> {
  const body = await readObject(request);
  if (!body) return errorJson(400, 'Invalid JSON body');
  const txRef = body.tx_ref;
  if (typeof txRef !== 'string' || txRef.trim() === '') return errorJson(400, 'tx_ref is required');
  if (txRef.length > 200) return errorJson(400, 'tx_ref is too long');
  // Flutterwave assumes NGN when currency is omitted (§2).
  const currency = body.currency === undefined ? 'NGN' : body.currency;
  if (typeof currency !== 'string' || !(currency in FLUTTERWAVE_SANDBOX_CURRENCIES)) {
    return errorJson(400, `Invalid currency ${String(currency)}`);
  }
  const amount = minorFromMajor(body.amount, currency);
  if (amount === null || amount <= 0) return errorJson(400, 'Invalid amount');
  const customer = body.customer;
  if (
    !isObject(customer) ||
    typeof customer.email !== 'string' ||
    !/^[^@\s]+@[^@\s]+$/.test(customer.email)
  ) {
    return errorJson(400, 'customer.email is required');
  }
  const redirectUrl = body.redirect_url;
  if (redirectUrl !== undefined && (typeof redirectUrl !== 'string' || !/^https?:\/\//.test(redirectUrl))) {
    return errorJson(400, 'redirect_url must be a URL');
  }
  const session = body.session_duration ?? 1440;
  if (typeof session !== 'number' || !Number.isInteger(session) || session < 1 || session > 1440) {
    return errorJson(400, 'session_duration must be between 1 and 1440 minutes');
  }
  const retries = body.max_retry_attempt ?? 10;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 1) {
    return errorJson(400, 'max_retry_attempt must be a positive integer');
  }
  if (state.checkoutsByRef.has(txRef))
    return errorJson(400, 'Duplicate tx_ref: please use a unique reference');
  const customizations = isObject(body.customizations) ? body.customizations : {};
  const checkout: SimCheckout = {
    linkId: newLinkId(),
    txRef,
    amount,
    currency,
    redirectUrl: typeof redirectUrl === 'string' ? redirectUrl : null,
    customer: {
      email: customer.email,
      ...(typeof customer.name === 'string' ? { name: customer.name } : {}),
      ...(typeof customer.phonenumber === 'string' ? { phonenumber: customer.phonenumber } : {}),
    },
    meta: isObject(body.meta) ? body.meta : {},
    title: typeof customizations.title === 'string' ? customizations.title : 'Payment',
    state: 'open',
    expiresAt: state.env.clock.now() + session * 60_000,
    attemptsLeft: retries,
  };
  state.checkouts.set(checkout.linkId, checkout);
  state.checkoutsByRef.set(txRef, checkout);
  return success('Hosted Link', { link: `${state.env.baseUrl}/v3/hosted/pay/${checkout.linkId}` });
}
