import {
  type BackendContext,
  PaybridgeError,
  type Payment,
  type PaymentFact,
  type PrepareResult,
} from '@paybridge/core';
import { callP24, p24Error } from './api-client';
import { listedRefundOutcome, paidFacts, refundFact } from './facts';
import {
  refundListSchema,
  registerResponseSchema,
  transactionStatusSchema,
  verifyResponseSchema,
} from './p24-schemas';
import { P24_LANGUAGES, type Przelewy24Settings } from './settings';
import { hasLineSeparators, p24Sign } from './signature';

/** The sessionId of a payment: our payment id, unique per register (reference gotcha 7). */
export const sessionIdOf = (payment: Payment) => payment.id;

function requireMinorUnits(payment: Payment) {
  if (!Number.isSafeInteger(payment.amount) || payment.amount < 1) {
    throw new PaybridgeError(
      'INVALID_AMOUNT',
      `Przelewy24 takes a positive integer amount in minor units, got ${payment.amount}`,
    );
  }
}

function buyerLanguage(payment: Payment, settings: Przelewy24Settings): string {
  const language = payment.buyer.language?.slice(0, 2).toLowerCase();
  // P24 calls Swedish "se" (reference §3.1), not ISO 639-1's "sv".
  const mapped = language === 'sv' ? 'se' : language;
  return mapped && (P24_LANGUAGES as readonly string[]).includes(mapped) ? mapped : settings.language;
}

/**
 * `POST /transaction/register` then a redirect to `/trnRequest/{token}` (reference §3.1). The payment is
 * stored before this runs (the backend is not `prepareOffline`), as P24 requires. Amounts are the
 * payment's integer minor units, passed through untouched.
 */
export async function prepareTransaction(
  payment: Payment,
  ctx: BackendContext,
  settings: Przelewy24Settings,
): Promise<PrepareResult> {
  requireMinorUnits(payment);
  const sessionId = sessionIdOf(payment);
  const description = (payment.description || `Payment ${payment.orderId}`).slice(0, 1024);
  if (hasLineSeparators(description) || hasLineSeparators(sessionId)) {
    throw new PaybridgeError(
      'BAD_REQUEST',
      'Przelewy24: the description contains U+2028/U+2029, which cannot be signed reliably',
    );
  }
  const email = payment.buyer.email ?? settings.fallbackEmail;
  if (!email) {
    throw new PaybridgeError(
      'BAD_REQUEST',
      'Przelewy24 requires the buyer e-mail (buyer.email, or the fallbackEmail setting)',
    );
  }
  const client = [payment.buyer.firstName, payment.buyer.lastName].filter(Boolean).join(' ').slice(0, 40);
  const body = {
    merchantId: settings.merchantId,
    posId: settings.posId,
    sessionId,
    amount: payment.amount,
    currency: payment.currency,
    description,
    email: email.slice(0, 50),
    ...(client ? { client } : {}),
    country: settings.country,
    language: buyerLanguage(payment, settings),
    urlReturn: ctx.returnUrl(payment.id),
    urlStatus: ctx.notifyUrl,
    waitForResult: settings.waitForResult,
    regulationAccept: settings.regulationAccept,
    encoding: 'UTF-8',
    ...(settings.channel === undefined ? {} : { channel: settings.channel }),
    ...(settings.timeLimitMinutes === undefined ? {} : { timeLimit: settings.timeLimitMinutes }),
    sign: await p24Sign(
      'register',
      { sessionId, merchantId: settings.merchantId, amount: payment.amount, currency: payment.currency },
      settings.crc,
    ),
  };
  const response = await callP24(ctx, settings, {
    method: 'POST',
    path: '/transaction/register',
    body,
    kind: 'register',
    paymentId: payment.id,
  });
  const parsed = registerResponseSchema().safeParse(response.json);
  if (response.status !== 200 || !parsed.success) throw p24Error('register the transaction', response);
  const token = parsed.data.data.token;
  return {
    redirect: { method: 'GET', url: `${ctx.endpoint}/trnRequest/${encodeURIComponent(token)}` },
    brokerData: { p24SessionId: sessionId, p24Token: token, p24NotifyUrl: ctx.notifyUrl },
  };
}

export type VerifyResult = 'verified' | 'refused';

/**
 * `PUT /transaction/verify` with OUR stored amount and currency and P24's orderId (reference §5.2):
 * without it the money is not booked. Throws BROKER_UNAVAILABLE when P24 cannot be asked.
 */
export async function verifyTransaction(
  payment: Payment,
  orderId: number,
  ctx: BackendContext,
  settings: Przelewy24Settings,
): Promise<VerifyResult> {
  const sessionId = sessionIdOf(payment);
  const response = await callP24(ctx, settings, {
    method: 'PUT',
    path: '/transaction/verify',
    body: {
      merchantId: settings.merchantId,
      posId: settings.posId,
      sessionId,
      amount: payment.amount,
      currency: payment.currency,
      orderId,
      sign: await p24Sign(
        'verify',
        { sessionId, orderId, amount: payment.amount, currency: payment.currency },
        settings.crc,
      ),
    },
    kind: 'verify',
    paymentId: payment.id,
  });
  if (response.status === 200 && verifyResponseSchema().safeParse(response.json).success) return 'verified';
  if (
    response.status >= 500 ||
    response.status === 408 ||
    response.status === 429 ||
    response.status === 401
  ) {
    throw p24Error('verify the transaction', response);
  }
  return 'refused';
}

/**
 * `GET /transaction/by/sessionId/{id}` (reference §6): 0 → nothing yet; 1 (paid, not verified) → verify
 * now, the recovery path of a lost notification; 2 → paid; 3 → paid and returned (refunds listed).
 */
export async function pullStatus(
  payment: Payment,
  ctx: BackendContext,
  settings: Przelewy24Settings,
): Promise<PaymentFact[]> {
  const response = await callP24(ctx, settings, {
    method: 'GET',
    path: `/transaction/by/sessionId/${encodeURIComponent(sessionIdOf(payment))}`,
    kind: 'status',
    paymentId: payment.id,
  });
  if (response.status === 404) return [];
  const parsed = transactionStatusSchema().safeParse(response.json);
  if (response.status !== 200 || !parsed.success) throw p24Error('read the transaction status', response);
  const tx = parsed.data.data;
  if (tx.status === 0) return [];
  if (tx.amount !== payment.amount || tx.currency !== payment.currency) {
    ctx.logger.warn('przelewy24: transaction amount or currency differs from the payment; not applied', {
      paymentId: payment.id,
      orderId: tx.orderId,
    });
    return [];
  }
  if (tx.status === 1 && (await verifyTransaction(payment, tx.orderId, ctx, settings)) !== 'verified') {
    ctx.logger.warn('przelewy24: verify refused for a paid transaction', {
      paymentId: payment.id,
      orderId: tx.orderId,
    });
    return [];
  }
  const facts = paidFacts({ ...tx, methodId: tx.paymentMethod });
  if (tx.status === 3 || payment.refunds.length > 0)
    facts.push(...(await pullRefunds(payment, tx.orderId, ctx, settings)));
  return facts;
}

async function pullRefunds(
  payment: Payment,
  orderId: number,
  ctx: BackendContext,
  settings: Przelewy24Settings,
) {
  const response = await callP24(ctx, settings, {
    method: 'GET',
    path: `/refund/by/orderId/${orderId}`,
    kind: 'refund-status',
    paymentId: payment.id,
  });
  if (response.status === 404) return [];
  const parsed = refundListSchema().safeParse(response.json);
  if (response.status !== 200 || !parsed.success) throw p24Error('list the refunds', response);
  const facts: PaymentFact[] = [];
  for (const refund of parsed.data.data.refunds) {
    const outcome = listedRefundOutcome(refund.status);
    if (!outcome) continue;
    // Our refunds are sent with requestId = refundsUuid, so the list's requestId names them.
    facts.push(
      refundFact(payment, {
        orderId,
        refundsUuid: refund.requestId,
        amount: refund.amount,
        currency: payment.currency,
        outcome,
      }),
    );
  }
  return facts;
}
