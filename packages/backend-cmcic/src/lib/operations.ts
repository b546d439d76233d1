import {
  type BackendContext,
  type OperationResult,
  PaybridgeError,
  type Payment,
  type RefundRequest,
} from '@paybridge/core';
import {
  type BankCall,
  type BankOutcome,
  bankError,
  bankOutcome,
  parseBankAnswer,
  sealBankRequest,
} from './bank-api';
import { formatMontant, formatRequestDate } from './format';
import type { MacScheme } from './mac';

/**
 * How the bank set the terminal up (its contract, not a form field; cmcic-api.md §1): `immediate`
 * collects at once; `deferred` only authorises and the merchant captures the whole amount once;
 * `partial` authorises and the merchant may capture less. The return looks the same in every mode.
 */
export type TerminalMode = 'immediate' | 'deferred' | 'partial';

export interface OperationsConfig {
  tpe: string;
  company: string;
  language: string;
  timeZone: string;
  keyBytes: Uint8Array;
  scheme: MacScheme;
  mode: TerminalMode;
}

type Failed = Extract<BankOutcome, { ok: false }>;

const CGI: Record<BankCall, string> = { capture: 'capture_paiement.cgi', recredit: 'recredit_paiement.cgi' };

/** What this backend kept about a payment: the form it sent, the return, the capture. */
function recorded(payment: Payment, key: string): Record<string, unknown> {
  const value = payment.brokerData[key];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

function referenceOf(payment: Payment, what: string): string {
  if (!payment.externalId) {
    throw new PaybridgeError('INVALID_STATE', `cannot ${what}: the payment has no CM-CIC reference`);
  }
  return payment.externalId;
}

/** `date_commande`: the date (DD/MM/YYYY) of the form the payment was made with. */
function orderDate(payment: Payment, config: OperationsConfig): string {
  const sent = text(recorded(payment, 'cmcicRequest').date);
  return (sent ?? formatRequestDate(new Date(payment.createdAt), config.timeZone)).slice(0, 10);
}

async function callBank(
  call: BankCall,
  fields: Record<string, string>,
  payment: Payment,
  ctx: BackendContext,
  config: OperationsConfig,
  kind: string,
): Promise<Record<string, string>> {
  const sealed = await sealBankRequest(call, config.keyBytes, config.scheme, fields);
  const response = await ctx.fetch(
    `${ctx.endpoint.replace(/\/+$/, '')}/${CGI[call]}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/plain' },
      body: new URLSearchParams(sealed).toString(),
    },
    { kind, paymentId: payment.id },
  );
  if (!response.ok) {
    throw new PaybridgeError('BROKER_UNAVAILABLE', `CM-CIC answered HTTP ${response.status} to ${kind}`);
  }
  return parseBankAnswer(await response.text());
}

function captureFields(
  payment: Payment,
  reference: string,
  config: OperationsConfig,
  ctx: BackendContext,
  amounts: { capture: number; already: number; remaining: number },
): Record<string, string> {
  const money = (amount: number) => formatMontant(amount, payment.currency);
  return {
    version: '3.0',
    TPE: config.tpe,
    date: formatRequestDate(ctx.now(), config.timeZone),
    date_commande: orderDate(payment, config),
    montant: money(payment.amount),
    montant_a_capturer: money(amounts.capture),
    montant_deja_capture: money(amounts.already),
    montant_restant: money(amounts.remaining),
    reference,
    'texte-libre': '',
    lgue: config.language,
    societe: config.company,
  };
}

// A retried call whose first attempt was carried out (its answer lost) is answered with these.
const ALREADY_CAPTURED = /^paiement deja accepte$/i;
const ALREADY_CANCELLED = /^la commande est deja annulee$/i;

function succeeded(outcome: BankOutcome, already: RegExp): boolean {
  return outcome.ok || (!outcome.retry && already.test(outcome.answer.lib ?? ''));
}

/**
 * Capture of an authorised payment (deferred or partial terminal). On a partial terminal a capture
 * of less than the amount is followed by the release of the rest (a cancel with what was
 * captured), since paybridge captures once: the rest is never left authorised at the bank.
 */
export async function capturePayment(
  payment: Payment,
  amount: number,
  ctx: BackendContext,
  config: OperationsConfig,
): Promise<OperationResult> {
  const reference = referenceOf(payment, 'capture');
  if (config.mode === 'immediate' || (config.mode === 'deferred' && amount !== payment.amount)) {
    throw new PaybridgeError(
      'CAPABILITY_NOT_SUPPORTED',
      config.mode === 'immediate'
        ? 'the terminal collects at once (terminalMode: immediate): there is nothing to capture'
        : 'a deferred terminal captures the whole amount only',
    );
  }
  const remaining = payment.amount - amount;
  const fields = captureFields(payment, reference, config, ctx, { capture: amount, already: 0, remaining });
  const outcome = bankOutcome('capture', await callBank('capture', fields, payment, ctx, config, 'capture'));
  if (!succeeded(outcome, ALREADY_CAPTURED)) throw bankError('capture the payment', outcome as Failed);
  const capture: Record<string, unknown> = {
    date: fields.date?.slice(0, 10),
    amount,
    authorisationNumber: text(outcome.answer.aut),
  };
  if (remaining > 0) {
    const release = captureFields(payment, reference, config, ctx, {
      capture: 0,
      already: amount,
      remaining: 0,
    });
    const released = bankOutcome(
      'capture',
      await callBank('capture', release, payment, ctx, config, 'cancel-rest').catch((error: unknown) => ({
        cdr: '-1',
        lib: String(error instanceof Error ? error.message : error),
      })),
    );
    capture.remainderReleased = succeeded(released, ALREADY_CANCELLED);
    if (!capture.remainderReleased) {
      ctx.logger.warn('CM-CIC: the rest of a partly captured payment is still authorised at the bank', {
        paymentId: payment.id,
        answer: released.ok ? '' : released.message,
      });
    }
  }
  return {
    facts: [
      {
        type: 'captured',
        eventId: `${reference}:capture:${amount}`,
        captureId: reference,
        amount,
        currency: payment.currency,
        ...(remaining > 0 ? { partial: true } : {}),
      },
    ],
    brokerData: { cmcicCapture: capture },
  };
}

/** Cancel of an authorised payment: a capture of nothing with nothing left (cmcic-api.md §3). */
export async function cancelPayment(
  payment: Payment,
  ctx: BackendContext,
  config: OperationsConfig,
): Promise<OperationResult> {
  const reference = referenceOf(payment, 'cancel');
  if (config.mode === 'immediate' || payment.status !== 'authorized') {
    throw new PaybridgeError(
      'INVALID_STATE',
      'CM-CIC cancels only an authorised payment of a deferred or partial terminal',
      { details: { status: payment.status, terminalMode: config.mode } },
    );
  }
  const fields = captureFields(payment, reference, config, ctx, { capture: 0, already: 0, remaining: 0 });
  const outcome = bankOutcome('capture', await callBank('capture', fields, payment, ctx, config, 'cancel'));
  if (!succeeded(outcome, ALREADY_CANCELLED)) throw bankError('cancel the payment', outcome as Failed);
  return {
    facts: [{ type: 'failed', eventId: `${reference}:cancel`, reason: 'Cancelled by the merchant' }],
  };
}

/**
 * Refund ("recrédit", cmcic-api.md §5). The bank has no idempotency key: it checks instead that
 * `montant_possible` matches what it can still refund, so a retry of a refund it already made is
 * refused with -35 — then the outcome stays unknown (pending) rather than failed.
 */
export async function refundPayment(
  payment: Payment,
  request: RefundRequest,
  ctx: BackendContext,
  config: OperationsConfig,
): Promise<OperationResult> {
  const reference = referenceOf(payment, 'refund');
  const capture = recorded(payment, 'cmcicCapture');
  const paid = recorded(payment, 'cmcic');
  const authorisation = text(capture.authorisationNumber) ?? text(paid.authorisationNumber);
  const collected = text(capture.date) ?? text(paid.date)?.slice(0, 10) ?? null;
  if (!authorisation || !collected) {
    // Nothing was sent: BROKER_ERROR releases the amount the core reserved for this refund.
    throw new PaybridgeError(
      'BROKER_ERROR',
      'cannot refund: the authorisation number or the collection date of the payment is unknown',
    );
  }
  const money = (amount: number) => formatMontant(amount, payment.currency);
  const fields = {
    version: '3.0',
    TPE: config.tpe,
    date: formatRequestDate(ctx.now(), config.timeZone),
    date_commande: orderDate(payment, config),
    date_remise: collected,
    num_autorisation: authorisation,
    montant: money(payment.amount),
    montant_recredit: money(request.amount),
    montant_possible: money(payment.amountPaid - payment.amountRefunded),
    reference,
    'texte-libre': '',
    lgue: config.language,
    societe: config.company,
  };
  const outcome = bankOutcome('recredit', await callBank('recredit', fields, payment, ctx, config, 'refund'));
  if (!outcome.ok) {
    const retried = payment.refunds.some((refund) => refund.id === request.refundId);
    if (retried && outcome.answer.cdr === '-35') {
      throw new PaybridgeError(
        'BROKER_UNAVAILABLE',
        'CM-CIC refused the amounts of a retried refund (-35): the first request may have been carried out; check the dashboard',
      );
    }
    throw bankError('refund the payment', outcome);
  }
  return {
    facts: [
      {
        type: 'refunded',
        eventId: `${reference}:recredit:${request.refundId}`,
        refundId: request.refundId,
        amount: request.amount,
        currency: payment.currency,
      },
    ],
  };
}
