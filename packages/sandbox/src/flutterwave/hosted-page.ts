import { crossSiteRefusal, forbiddenPage } from '../lib/http-guard';
import { type BrowserStep, SESSION_HEADER } from '../lib/simulator';
import { type FlutterwaveState, majorText, type SimCheckout, type SimTransaction } from './model';
import { sendWebhook } from './webhooks';

/**
 * The buyer on the hosted page: `pay`, `decline` (the card is refused; the page allows another try
 * until max_retry_attempt), `cancel` (closes the page), `underpay` (a transaction for half the
 * amount, to test the amount check), `pending` (bank transfer still being processed; `settle()` ends it).
 */
export type FlutterwaveAction = 'pay' | 'decline' | 'cancel' | 'underpay' | 'pending';
const PAGE_ACTIONS: readonly FlutterwaveAction[] = ['pay', 'decline', 'cancel'];
const ALL_ACTIONS: readonly FlutterwaveAction[] = [...PAGE_ACTIONS, 'underpay', 'pending'];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Flutterwave sandbox</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function newTransaction(
  state: FlutterwaveState,
  checkout: SimCheckout,
  fields: Partial<SimTransaction>,
): SimTransaction {
  const id = state.nextTransactionId++;
  const tx: SimTransaction = {
    id,
    txRef: checkout.txRef,
    flwRef: `FLW-SANDBOX-${id}`,
    amount: checkout.amount,
    chargedAmount: checkout.amount,
    currency: checkout.currency,
    status: 'successful',
    paymentType: 'card',
    processorResponse: 'Approved by Financial Institution',
    createdAt: new Date(state.env.clock.now()).toISOString(),
    customer: checkout.customer,
    meta: checkout.meta,
    refunds: [],
    ...fields,
  };
  state.transactions.set(id, tx);
  return tx;
}

/** Back to redirect_url with status, tx_ref and (when a transaction exists) transaction_id (reference §4). */
function redirect(checkout: SimCheckout, status: string, tx?: SimTransaction): BrowserStep {
  if (!checkout.redirectUrl) {
    return { method: 'NONE', html: page('Payment', `<p>Payment ${escapeHtml(status)}.</p>`) };
  }
  const url = new URL(checkout.redirectUrl);
  url.searchParams.set('status', status);
  url.searchParams.set('tx_ref', checkout.txRef);
  if (tx) url.searchParams.set('transaction_id', String(tx.id));
  return { method: 'GET', url: url.toString() };
}

export function act(state: FlutterwaveState, linkId: string, action: FlutterwaveAction): BrowserStep {
  if (!ALL_ACTIONS.includes(action)) throw new Error(`Flutterwave sandbox: unknown action ${String(action)}`);
  const checkout = state.checkouts.get(linkId);
  if (!checkout) throw new Error(`Flutterwave sandbox: no hosted payment ${linkId}`);
  if (checkout.state === 'open' && state.env.clock.now() > checkout.expiresAt) checkout.state = 'closed';
  if (checkout.state !== 'open') {
    return {
      method: 'NONE',
      html: page('Payment link expired', '<p>This payment link is no longer valid.</p>'),
    };
  }
  switch (action) {
    case 'cancel':
      checkout.state = 'closed';
      return redirect(checkout, 'cancelled');
    case 'decline': {
      const tx = newTransaction(state, checkout, {
        status: 'failed',
        processorResponse: 'Declined by issuer',
      });
      sendWebhook(state, tx);
      checkout.attemptsLeft--;
      if (checkout.attemptsLeft > 0) {
        return {
          method: 'NONE',
          html: page('Payment declined', '<p>Your card was declined. Try again.</p>'),
        };
      }
      checkout.state = 'closed';
      return redirect(checkout, 'failed', tx);
    }
    case 'pending': {
      checkout.state = 'paid';
      const tx = newTransaction(state, checkout, {
        status: 'pending',
        paymentType: 'bank_transfer',
        processorResponse: 'Transfer pending',
      });
      return redirect(checkout, 'pending', tx);
    }
    default: {
      checkout.state = 'paid';
      const amount = action === 'underpay' ? Math.max(1, Math.floor(checkout.amount / 2)) : checkout.amount;
      const tx = newTransaction(state, checkout, { amount, chargedAmount: amount });
      sendWebhook(state, tx);
      return redirect(checkout, 'successful', tx);
    }
  }
}

/** A pending transaction (bank transfer) ends: its webhook goes out. */
export function settle(
  state: FlutterwaveState,
  transactionId: number,
  outcome: 'successful' | 'failed',
): void {
  const tx = state.transactions.get(transactionId);
  if (tx?.status !== 'pending')
    throw new Error(`Flutterwave sandbox: transaction ${transactionId} is not pending`);
  tx.status = outcome;
  tx.processorResponse = outcome === 'successful' ? 'Transfer received' : 'Transfer not received';
  sendWebhook(state, tx);
}

function html(status: number, body: string, linkId: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', [SESSION_HEADER]: linkId },
  });
}

/** `GET|POST /v3/hosted/pay/<id>`: the checkout with Pay / Decline / Cancel buttons (POST acts, then 303). */
export async function hostedPage(
  state: FlutterwaveState,
  request: Request,
  linkId: string,
): Promise<Response> {
  const checkout = state.checkouts.get(linkId);
  if (!checkout) return html(404, page('Not found', '<p>This payment link is invalid.</p>'), linkId);
  if (request.method === 'POST') {
    const crossSite = crossSiteRefusal(request, new URL(state.env.baseUrl).origin);
    if (crossSite) return forbiddenPage(crossSite);
    const action = new URLSearchParams(await request.text()).get('action') as FlutterwaveAction | null;
    if (!action || !PAGE_ACTIONS.includes(action))
      return html(400, page('Bad request', '<p>Unknown action.</p>'), linkId);
    const step = act(state, linkId, action);
    if (step.method === 'GET') {
      return new Response(null, { status: 303, headers: { location: step.url, [SESSION_HEADER]: linkId } });
    }
    return html(200, step.method === 'NONE' ? step.html : page('Payment', ''), linkId);
  }
  if (request.method !== 'GET') return html(405, page('Method not allowed', ''), linkId);
  if (checkout.state !== 'open' || state.env.clock.now() > checkout.expiresAt) {
    return html(200, page('Payment link expired', '<p>This payment link is no longer valid.</p>'), linkId);
  }
  const self = escapeHtml(new URL(request.url).pathname);
  const button = (value: FlutterwaveAction, label: string) =>
    `<form method="post" action="${self}"><input type="hidden" name="action" value="${value}"><button type="submit">${escapeHtml(label)}</button></form>`;
  const body =
    `<p>${escapeHtml(checkout.title)}</p>` +
    `<p><strong>${escapeHtml(majorText(checkout.amount, checkout.currency))} ${escapeHtml(checkout.currency)}</strong> · ${escapeHtml(checkout.txRef)}</p>` +
    button('pay', 'Pay') +
    button('decline', 'Decline (card refused)') +
    button('cancel', 'Cancel payment');
  return html(200, page('Flutterwave sandbox checkout', body), linkId);
}
