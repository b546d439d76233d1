import { json, notFound, razorpayError, readJson } from './http';
import { newId, type RazorpayAccount, type RazorpayState, type SimLink, seconds } from './model';
import { linkView } from './views';
import { sendEvents } from './webhooks';

const MAX_LIFETIME_S = 180 * 24 * 3600;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function stringRecord(value: unknown, field: string, max: number): Record<string, string> | Response {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    return razorpayError(400, `${field} must be an object`, { field });
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > max) return razorpayError(400, `${field} can have at most ${max} keys`, { field });
  const out: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (typeof v !== 'string' && typeof v !== 'number')
      return razorpayError(400, `${field}.${key} must be a string`, { field });
    if (String(v).length > 256)
      return razorpayError(400, `${field}.${key} is longer than 256 characters`, { field });
    out[key] = String(v);
  }
  return out;
}

/** `POST /v1/payment_links` (§3.1) with Razorpay's validation of the fields paybridge sends. */
export async function createLink(
  state: RazorpayState,
  account: RazorpayAccount,
  request: Request,
): Promise<Response> {
  const body = await readJson(request);
  if (body instanceof Response) return body;
  const { amount, currency = 'INR' } = body;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount))
    return razorpayError(400, 'The amount must be an integer.', { field: 'amount' });
  if (currency === 'INR' && amount < 100)
    return razorpayError(400, 'The amount must be at least INR 1.00', { field: 'amount' });
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    return razorpayError(400, 'The currency is invalid.', { field: 'currency' });
  if (body.accept_partial === true)
    return razorpayError(400, 'Partial payments are not enabled in the sandbox.');
  const referenceId = str(body.reference_id) ?? '';
  if (referenceId.length > 40)
    return razorpayError(400, 'The reference id may not be greater than 40 characters.', {
      field: 'reference_id',
    });
  if (
    referenceId &&
    [...state.links.values()].some((l) => l.keyId === account.keyId && l.referenceId === referenceId)
  )
    return razorpayError(400, `payment link with given reference_id ${referenceId} already exists`, {
      field: 'reference_id',
    });
  const now = seconds(state.env.clock.now());
  const expireBy = body.expire_by === undefined ? now + MAX_LIFETIME_S : body.expire_by;
  if (typeof expireBy !== 'number' || !Number.isSafeInteger(expireBy))
    return razorpayError(400, 'expire_by must be a Unix timestamp', { field: 'expire_by' });
  if (expireBy < now + 15 * 60)
    return razorpayError(400, 'timestamp must be atleast 15 minutes in future', { field: 'expire_by' });
  if (expireBy > now + MAX_LIFETIME_S)
    return razorpayError(400, 'expire_by cannot be more than 6 months in future', { field: 'expire_by' });
  const callbackUrl = str(body.callback_url) ?? null;
  if (callbackUrl !== null) {
    if (!URL.canParse(callbackUrl))
      return razorpayError(400, 'The callback url format is invalid.', { field: 'callback_url' });
    if (body.callback_method !== 'get')
      return razorpayError(400, 'callback_method should be get when callback_url is passed', {
        field: 'callback_method',
      });
  }
  const notes = stringRecord(body.notes, 'notes', 15);
  if (notes instanceof Response) return notes;
  const customer = stringRecord(body.customer, 'customer', 3);
  if (customer instanceof Response) return customer;
  const link: SimLink = {
    id: newId('plink'),
    keyId: account.keyId,
    code: newId('', 10),
    amount,
    amountPaid: 0,
    currency,
    status: 'created',
    description: (str(body.description) ?? '').slice(0, 2048),
    referenceId,
    expireBy,
    callbackUrl,
    notes,
    customer,
    orderId: null,
    createdAt: state.env.clock.now(),
    updatedAt: state.env.clock.now(),
    cancelledAt: 0,
    expiredAt: 0,
  };
  state.links.set(link.id, link);
  return json(linkView(state, link));
}

export function ownedLink(state: RazorpayState, account: RazorpayAccount, id: string): SimLink | Response {
  const link = state.links.get(id);
  return link && link.keyId === account.keyId ? link : notFound('payment_link');
}

/** `GET /v1/payment_links?reference_id=…|payment_id=…` (§3.2). */
export function listLinks(state: RazorpayState, account: RazorpayAccount, url: URL): Response {
  const reference = url.searchParams.get('reference_id');
  const paymentId = url.searchParams.get('payment_id');
  const links = [...state.links.values()]
    .filter((l) => l.keyId === account.keyId)
    .filter((l) => reference === null || l.referenceId === reference)
    .filter((l) => paymentId === null || state.payments.get(paymentId)?.linkId === l.id)
    .map((l) => linkView(state, l));
  return json({ payment_links: links });
}

/** `POST /v1/payment_links/{id}/cancel` (§3.2): only a link not paid yet. */
export function cancelLink(state: RazorpayState, link: SimLink): Response {
  if (link.status !== 'created')
    return razorpayError(400, `Payment Link cannot be cancelled as it is in ${link.status} state`);
  link.status = 'cancelled';
  link.cancelledAt = seconds(state.env.clock.now());
  link.updatedAt = state.env.clock.now();
  sendEvents(state, [{ event: 'payment_link.cancelled', entities: { payment_link: linkView(state, link) } }]);
  return json(linkView(state, link));
}

/** `PATCH /v1/payment_links/{id}` (§3.2): reference, expiry, notes; only while created. */
export async function updateLink(state: RazorpayState, link: SimLink, request: Request): Promise<Response> {
  const body = await readJson(request);
  if (body instanceof Response) return body;
  if (link.status !== 'created')
    return razorpayError(400, `Payment Link cannot be updated in ${link.status} state`);
  if (typeof body.expire_by === 'number') link.expireBy = body.expire_by;
  if (typeof body.reference_id === 'string') link.referenceId = body.reference_id.slice(0, 40);
  if (body.notes !== undefined) {
    const notes = stringRecord(body.notes, 'notes', 15);
    if (notes instanceof Response) return notes;
    link.notes = notes;
  }
  link.updatedAt = state.env.clock.now();
  return json(linkView(state, link));
}
