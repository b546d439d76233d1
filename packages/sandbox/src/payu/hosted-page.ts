import { crossSiteRefusal, forbiddenPage } from '../lib/http-guard';
import { type BrowserStep, SESSION_HEADER } from '../lib/simulator';
import { newPaymentId, type PayuState, type SimOrder } from './model';
import { notifyOrder } from './notifications';
import { constantTimeEqual } from './signature';

/**
 * What the buyer can do on the hosted page: pay (auto-receive), pay leaving the order to capture, or fail.
 * `pending` (act() only, no button): the buyer paid with a method PayU is still processing, so the order
 * stays PENDING ("payment being processed", reference §4.5) until a later act() settles it.
 */
export type PayuAction = 'pay' | 'pay_wfc' | 'decline' | 'pending';
const ACTIONS: readonly PayuAction[] = ['pay', 'pay_wfc', 'decline'];
const ACT_ACTIONS: readonly PayuAction[] = [...ACTIONS, 'pending'];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The buyer's click: NEW → PENDING → COMPLETED | WAITING_FOR_CONFIRMATION | CANCELED, one signed
 * notification per status (PayU never notifies NEW), then back to continueUrl, with `error=501`
 * when the payment was not authorized (reference §4.5, §4.6). `pending` stops at PENDING; a PENDING
 * order is then settled by `pay`, `pay_wfc` or `decline` (without a second PENDING notification).
 */
export async function act(state: PayuState, orderId: string, action: PayuAction): Promise<BrowserStep> {
  if (!ACT_ACTIONS.includes(action)) throw new Error(`PayU sandbox: unknown action ${String(action)}`);
  const order = state.orders.get(orderId);
  if (!order) throw new Error(`PayU sandbox: no order ${orderId}`);
  const settling = order.status === 'PENDING' && action !== 'pending';
  if (order.status !== 'NEW' && !settling) {
    throw new Error(`PayU sandbox: order ${orderId} is ${order.status}, the buyer can no longer pay it`);
  }
  const reorder = state.faults.reorder === true;
  if (!settling) {
    order.status = 'PENDING';
    order.paymentId = newPaymentId();
    if (!reorder || action === 'pending') notifyOrder(state, order);
    if (action === 'pending') return returnStep(order, false);
  }
  if (action === 'pay') {
    order.status = 'COMPLETED';
    order.completedAt = state.env.clock.now();
  } else {
    order.status = action === 'pay_wfc' ? 'WAITING_FOR_CONFIRMATION' : 'CANCELED';
  }
  notifyOrder(state, order);
  // Reorder fault: the PENDING notification goes out after the final one.
  if (reorder && !settling) notifyOrder(state, order, 'PENDING');
  return returnStep(order, action === 'decline');
}

function returnStep(order: SimOrder, failed: boolean): BrowserStep {
  if (!order.continueUrl) {
    // Without continueUrl PayU keeps the buyer on its own result page.
    return { method: 'NONE', html: page('Payment', `<p>${failed ? 'Payment failed.' : 'Thank you.'}</p>`) };
  }
  const url = new URL(order.continueUrl);
  if (failed) url.searchParams.set('error', '501');
  return { method: 'GET', url: url.toString() };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · PayU sandbox</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function html(status: number, body: string, orderId?: string): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html;charset=utf-8',
      ...(orderId ? { [SESSION_HEADER]: orderId } : {}),
    },
  });
}

function formatAmount(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/**
 * `/pay/?orderId=…&token=…` (the redirectUri): GET shows the order and three buttons, whose POST does
 * what `act()` does and sends the browser on with a 303.
 */
export async function hostedPage(state: PayuState, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const orderId = url.searchParams.get('orderId') ?? '';
  const token = url.searchParams.get('token') ?? '';
  const order = state.orders.get(orderId);
  if (!order || !constantTimeEqual(token, order.pageToken)) {
    return html(404, page('Order not found', '<p>This payment link is invalid.</p>'));
  }
  if (request.method === 'POST') {
    const crossSite = crossSiteRefusal(request, new URL(state.env.baseUrl).origin);
    if (crossSite) return forbiddenPage(crossSite);
    const form = new URLSearchParams(await request.text());
    const action = form.get('action') as PayuAction | null;
    if (!action || !ACTIONS.includes(action))
      return html(400, page('Bad request', '<p>Unknown action.</p>'), orderId);
    if (order.status !== 'NEW') return html(409, statusPage(order), orderId);
    const step = await act(state, orderId, action);
    if (step.method === 'GET') {
      return new Response(null, { status: 303, headers: { location: step.url, [SESSION_HEADER]: orderId } });
    }
    return html(200, step.method === 'NONE' ? step.html : page('Payment', ''), orderId);
  }
  if (request.method !== 'GET') return html(405, page('Method not allowed', ''), orderId);
  if (order.status !== 'NEW') return html(200, statusPage(order), orderId);
  const action = escapeHtml(`${url.pathname}${url.search}`);
  const button = (value: PayuAction, label: string) =>
    `<form method="post" action="${action}"><input type="hidden" name="action" value="${value}"><button type="submit" name="submit" value="${value}">${escapeHtml(label)}</button></form>`;
  const refusal = order.notifyUrl ? state.env.queue.refusal(order.notifyUrl) : null;
  const body =
    (refusal
      ? `<p class="error" role="alert">No notification will be sent for this order: ${escapeHtml(refusal)}</p>`
      : '') +
    `<p>${escapeHtml(order.description)}</p>` +
    `<p><strong>${formatAmount(order.totalAmount)} ${escapeHtml(order.currencyCode)}</strong> · order ${escapeHtml(order.orderId)}</p>` +
    button('pay', 'Pay') +
    button('pay_wfc', 'Pay (merchant captures later)') +
    button('decline', 'Decline');
  return html(200, page('PayU sandbox payment', body), orderId);
}

function statusPage(order: SimOrder): string {
  return page('Payment', `<p>Order ${escapeHtml(order.orderId)} is ${escapeHtml(order.status)}.</p>`);
}
