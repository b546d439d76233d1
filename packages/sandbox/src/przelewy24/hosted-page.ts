import { crossSiteRefusal, forbiddenPage } from '../lib/http-guard';
import { type BrowserStep, SESSION_HEADER } from '../lib/simulator';
import type { P24State, SimTransaction } from './model';
import { notifyPaid } from './notifications';

/**
 * The buyer on `/trnRequest/{token}`: pays (BLIK), is declined by the bank, or abandons (closes the
 * tab). Only a payment is notified (reference §5.1); a decline sends the buyer back to urlReturn with
 * nothing appended, exactly like a success (§4), and an abandon leaves the buyer on P24.
 */
export type P24Action = 'pay' | 'decline' | 'abandon';
const ACTIONS: readonly P24Action[] = ['pay', 'decline', 'abandon'];
/** BLIK's method id in P24's list (the simulator pays everything with it). */
const BLIK_METHOD_ID = 154;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Przelewy24 sandbox</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function html(status: number, body: string, token?: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html;charset=utf-8', ...(token ? { [SESSION_HEADER]: token } : {}) },
  });
}

const statement = (orderId: number) => {
  const digits = String(orderId).padStart(9, '0').slice(-9);
  return `p24-${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
};

export function act(state: P24State, token: string, action: P24Action): BrowserStep {
  if (!ACTIONS.includes(action)) throw new Error(`Przelewy24 sandbox: unknown action ${String(action)}`);
  const tx = state.byToken.get(token);
  if (!tx) throw new Error(`Przelewy24 sandbox: no transaction with token ${token}`);
  if (tx.status !== 0 || tx.closed) {
    throw new Error(`Przelewy24 sandbox: transaction ${tx.sessionId} can no longer be paid`);
  }
  if (action === 'abandon') {
    tx.closed = true;
    return { method: 'NONE', html: page('Płatność przerwana', '<p>You left the payment.</p>') };
  }
  if (action === 'decline') {
    tx.closed = true;
    return { method: 'GET', url: tx.urlReturn };
  }
  const orderId = state.nextOrderId++;
  tx.orderId = orderId;
  tx.status = 1;
  tx.methodId = BLIK_METHOD_ID;
  tx.statement = statement(orderId);
  tx.paidAt = state.env.clock.now();
  state.byOrderId.set(orderId, tx);
  notifyPaid(state, tx);
  return { method: 'GET', url: tx.urlReturn };
}

const formatAmount = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** `GET /trnRequest/{token}` shows the transaction and three buttons whose POST does what `act()` does. */
export async function hostedPage(state: P24State, request: Request, token: string): Promise<Response> {
  const tx = state.byToken.get(token);
  if (!tx) return html(404, page('err00', '<p>Invalid call: unknown transaction.</p>'));
  if (request.method === 'POST') {
    const crossSite = crossSiteRefusal(request, new URL(state.env.baseUrl).origin);
    if (crossSite) return forbiddenPage(crossSite);
    const action = new URLSearchParams(await request.text()).get('action') as P24Action | null;
    if (!action || !ACTIONS.includes(action))
      return html(400, page('err00', '<p>Unknown action.</p>'), token);
    if (tx.status !== 0 || tx.closed) return html(409, donePage(tx), token);
    const step = act(state, token, action);
    if (step.method === 'GET') {
      return new Response(null, { status: 303, headers: { location: step.url, [SESSION_HEADER]: token } });
    }
    return html(200, step.method === 'NONE' ? step.html : '', token);
  }
  if (request.method !== 'GET') return html(405, page('Method not allowed', ''), token);
  if (tx.status !== 0 || tx.closed) return html(200, donePage(tx), token);
  const target = escapeHtml(new URL(request.url).pathname);
  const button = (value: P24Action, label: string) =>
    `<form method="post" action="${target}"><input type="hidden" name="action" value="${value}"><button type="submit" name="submit" value="${value}">${escapeHtml(label)}</button></form>`;
  const refusal = tx.urlStatus ? state.env.queue.refusal(tx.urlStatus) : null;
  const body =
    (refusal
      ? `<p class="error" role="alert">No notification will be sent for this transaction: ${escapeHtml(refusal)}</p>`
      : '') +
    `<p>${escapeHtml(tx.description)}</p>` +
    `<p><strong>${formatAmount(tx.amount)} ${escapeHtml(tx.currency)}</strong></p>` +
    button('pay', 'Pay with BLIK') +
    button('decline', 'Decline (bank refuses)') +
    button('abandon', 'Abandon');
  return html(200, page('Przelewy24 sandbox payment', body), token);
}

function donePage(tx: SimTransaction): string {
  return page('Płatność', `<p>Transaction ${escapeHtml(tx.sessionId)} is closed (status ${tx.status}).</p>`);
}
