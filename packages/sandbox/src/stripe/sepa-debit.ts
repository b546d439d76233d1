import { ibanOutcome } from './cards';
import { automatic, emit } from './events';
import type { StripeObject, StripeState } from './model';
import { newCharge } from './payments';
import { closed, finish, intentFor, openSession, type PageOutcome, successUrl } from './session-lifecycle';

/** A SEPA Direct Debit: the page completes now (`unpaid`), the debit settles after `asyncSettleDelayMs`. */
export function submitIban(state: StripeState, id: string, iban: string, email: string | null): PageOutcome {
  const open = openSession(state, id);
  if (!open) return closed(state, id);
  const outcome = ibanOutcome(iban);
  if (!outcome)
    return { kind: 'error', message: 'The IBAN you entered is invalid (use a Stripe test IBAN).' };
  if (
    open.session.mode !== 'payment' ||
    !(open.session.payment_method_types as string[]).includes('sepa_debit')
  ) {
    return { kind: 'error', message: 'SEPA Direct Debit is not available for this payment.' };
  }
  const { session, account } = open;
  const pi = intentFor(state, open);
  const charge = newCharge(
    state,
    account,
    pi,
    {
      type: 'sepa_debit',
      sepa_debit: {
        last4: iban.replace(/\s/g, '').slice(-4),
        country: iban.slice(0, 2).toUpperCase(),
        bank_code: '37040044',
      },
    },
    'pending',
  );
  pi.status = 'processing';
  finish(state, open, email, 'unpaid');
  emit(state, account, 'charge.pending', charge, automatic);
  emit(state, account, 'payment_intent.processing', pi, automatic);
  emit(state, account, 'checkout.session.completed', session, automatic);
  state.timers.push({
    at: state.env.clock.now() + state.config.asyncSettleDelayMs,
    run: () => settleDebit(state, account, session, pi, charge, outcome === 'succeeds'),
  });
  return { kind: 'redirect', url: successUrl(session) };
}

function settleDebit(
  state: StripeState,
  account: string | null,
  session: StripeObject,
  pi: StripeObject,
  charge: StripeObject,
  ok: boolean,
): void {
  if (ok) {
    charge.status = 'succeeded';
    charge.paid = true;
    charge.amount_captured = charge.amount;
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    session.payment_status = 'paid';
    emit(state, account, 'charge.succeeded', charge, automatic);
    emit(state, account, 'payment_intent.succeeded', pi, automatic);
    emit(state, account, 'checkout.session.async_payment_succeeded', session, automatic);
    return;
  }
  charge.status = 'failed';
  charge.failure_code = 'insufficient_funds';
  charge.failure_message = 'The customer account has insufficient funds to cover this payment.';
  pi.status = 'requires_payment_method';
  pi.last_payment_error = {
    type: 'card_error',
    code: 'payment_method_provider_decline',
    message: charge.failure_message,
  };
  emit(state, account, 'charge.failed', charge, automatic);
  emit(state, account, 'payment_intent.payment_failed', pi, automatic);
  emit(state, account, 'checkout.session.async_payment_failed', session, automatic);
}
