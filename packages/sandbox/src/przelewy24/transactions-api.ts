import { isInt, isText, isUrl, json, p24Error, readJson } from './http';
import {
  newToken,
  P24_CURRENCIES,
  type P24Merchant,
  type P24State,
  type SimTransaction,
  sessionKey,
} from './model';
import { constantTimeEqual, p24Sign } from './sign';

const LANGUAGES = new Set([
  'bg',
  'cs',
  'de',
  'en',
  'es',
  'fr',
  'hr',
  'hu',
  'it',
  'nl',
  'pl',
  'pt',
  'se',
  'sk',
  'ro',
]);
const invalid = (what: string) => p24Error(400, `Invalid input parameters: ${what}`);

/** `POST /api/v1/transaction/register` (reference §3.1): checks the register sign, answers a token. */
export async function register(state: P24State, merchant: P24Merchant, request: Request): Promise<Response> {
  const body = await readJson(request);
  if (body instanceof Response) return body;
  if (body.merchantId !== merchant.merchantId || body.posId !== merchant.posId)
    return invalid('merchantId/posId');
  if (!isText(body.sessionId, 100)) return invalid('sessionId');
  if (!isInt(body.amount) || body.amount < 1) return invalid('amount');
  if (typeof body.currency !== 'string' || !(P24_CURRENCIES as readonly string[]).includes(body.currency))
    return invalid('currency');
  if (!isText(body.description, 1024)) return invalid('description');
  if (!isText(body.email, 50)) return invalid('email');
  if (typeof body.country !== 'string' || !/^[A-Z]{2}$/.test(body.country)) return invalid('country');
  if (typeof body.language !== 'string' || !LANGUAGES.has(body.language)) return invalid('language');
  if (!isUrl(body.urlReturn)) return invalid('urlReturn');
  if (body.urlStatus !== undefined && !isUrl(body.urlStatus)) return invalid('urlStatus');
  if (typeof body.sign !== 'string' || !constantTimeEqual(body.sign, p24Sign('register', body, merchant.crc)))
    return invalid('sign');
  const key = sessionKey(merchant.merchantId, body.sessionId);
  if (state.bySession.has(key)) return invalid('sessionId already used');
  const tx: SimTransaction = {
    token: newToken(),
    merchant,
    sessionId: body.sessionId,
    amount: body.amount,
    currency: body.currency,
    description: body.description,
    email: body.email,
    urlReturn: body.urlReturn as string,
    urlStatus: body.urlStatus as string | undefined,
    registeredAt: state.env.clock.now(),
    orderId: null,
    status: 0,
    methodId: 0,
    statement: '',
    paidAt: null,
    closed: false,
    refunds: [],
  };
  state.byToken.set(tx.token, tx);
  state.bySession.set(key, tx);
  return json(200, { data: { token: tx.token }, responseCode: 0 });
}

/**
 * `PUT /api/v1/transaction/verify` (reference §5.2): the merchant confirms a paid transaction with its
 * own stored amount and currency; only then is the money booked (status 1 → 2).
 */
export async function verify(state: P24State, merchant: P24Merchant, request: Request): Promise<Response> {
  const body = await readJson(request);
  if (body instanceof Response) return body;
  if (body.merchantId !== merchant.merchantId || body.posId !== merchant.posId)
    return invalid('merchantId/posId');
  if (
    !isText(body.sessionId, 100) ||
    !isInt(body.orderId) ||
    !isInt(body.amount) ||
    typeof body.currency !== 'string'
  )
    return invalid('sessionId, orderId, amount, currency');
  if (typeof body.sign !== 'string' || !constantTimeEqual(body.sign, p24Sign('verify', body, merchant.crc)))
    return invalid('sign');
  const tx = state.bySession.get(sessionKey(merchant.merchantId, body.sessionId));
  if (!tx || tx.orderId !== body.orderId || tx.status === 0) return invalid('transaction not found');
  if (tx.amount !== body.amount || tx.currency !== body.currency) return invalid('amount or currency');
  if (tx.status === 1) tx.status = 2;
  return json(200, { data: { status: 'success' }, responseCode: 0 });
}

const isoDate = (ms: number | null) =>
  ms === null ? '' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** `GET /api/v1/transaction/by/sessionId/{sessionId}` (reference §6). */
export function bySessionId(state: P24State, merchant: P24Merchant, sessionId: string): Response {
  const tx = state.bySession.get(sessionKey(merchant.merchantId, sessionId));
  if (!tx) return json(404, { error: 'Transaction not found', responseCode: 0 });
  return json(200, {
    data: {
      statement: tx.statement,
      orderId: tx.orderId ?? 0,
      sessionId: tx.sessionId,
      status: tx.status,
      amount: tx.amount,
      currency: tx.currency,
      date: isoDate(tx.registeredAt),
      dateOfTransaction: isoDate(tx.paidAt),
      clientEmail: tx.email,
      accountMD5: '',
      paymentMethod: tx.methodId,
      description: tx.description,
      clientName: '',
      clientAddress: '',
      clientCity: '',
      clientPostcode: '',
      batchId: 0,
      fee: '0',
    },
    responseCode: 0,
  });
}
