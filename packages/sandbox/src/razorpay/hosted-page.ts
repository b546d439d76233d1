import { crossSiteRefusal, forbiddenPage } from '../lib/http-guard';
import { SESSION_HEADER } from '../lib/simulator';
import { act, RAZORPAY_ACTIONS, type RazorpayAction } from './lifecycle';
import type { RazorpayState, SimLink } from './model';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Razorpay sandbox</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function html(status: number, body: string, linkId?: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...(linkId ? { [SESSION_HEADER]: linkId } : {}) },
  });
}

function formatAmount(minor: number, currency: string): string {
  const digits = currency === 'JPY' ? 0 : ['KWD', 'BHD', 'OMR'].includes(currency) ? 3 : 2;
  if (digits === 0) return `${minor} ${currency}`;
  const unit = 10 ** digits;
  return `${Math.floor(minor / unit)}.${String(minor % unit).padStart(digits, '0')} ${currency}`;
}

/**
 * The link's `short_url` page (`/i/{code}`): GET shows the amount and three buttons (pay, decline, leave);
 * their POST does what `act()` does and sends the browser to callback_url after a success (303), or
 * back to this page ("Try again") after a decline or leaving.
 */
export async function hostedPage(state: RazorpayState, request: Request, code: string): Promise<Response> {
  const link = [...state.links.values()].find((l) => l.code === code);
  if (!link) return html(404, page('Link not found', '<p>This payment link is invalid.</p>'));
  if (request.method === 'POST') {
    const crossSite = crossSiteRefusal(request, new URL(state.env.baseUrl).origin);
    if (crossSite) return forbiddenPage(crossSite);
    const action = new URLSearchParams(await request.text()).get('action') as RazorpayAction | null;
    if (!action || !RAZORPAY_ACTIONS.includes(action))
      return html(400, page('Bad request', '<p>Unknown action.</p>'), link.id);
    if (link.status !== 'created') return html(409, statusPage(link), link.id);
    const step = act(state, link.id, action);
    if (step.method === 'GET') {
      return new Response(null, { status: 303, headers: { location: step.url, [SESSION_HEADER]: link.id } });
    }
    // After a decline or leaving, the link stays payable: the page offers the way back to it.
    const again =
      action !== 'pay' && link.status === 'created'
        ? `<p><a href="${escapeHtml(`${state.env.baseUrl}/i/${link.code}`)}">Try again</a></p>`
        : '';
    return html(200, page('Payment', (step.method === 'NONE' ? step.html : '') + again), link.id);
  }
  if (request.method !== 'GET') return html(405, page('Method not allowed', ''), link.id);
  if (link.status !== 'created') return html(200, statusPage(link), link.id);
  const button = (value: RazorpayAction, label: string) =>
    `<form method="post"><input type="hidden" name="action" value="${value}"><button type="submit">${escapeHtml(label)}</button></form>`;
  const refusals = state.config.webhooks
    .map((w) => state.env.queue.refusal(w.url))
    .filter((r): r is string => r !== null);
  const body =
    (state.config.webhooks.length === 0
      ? '<p class="error" role="alert">No webhook is configured: no event will be sent for this payment.</p>'
      : '') +
    refusals.map((r) => `<p class="error" role="alert">${escapeHtml(r)}</p>`).join('') +
    `<p>${escapeHtml(link.description)}</p>` +
    `<p><strong>${escapeHtml(formatAmount(link.amount, link.currency))}</strong> · ${escapeHtml(link.id)}</p>` +
    button('pay', 'Pay (Success)') +
    button('decline', 'Decline (Failure)') +
    button('abandon', 'Leave without paying');
  return html(200, page('Razorpay sandbox payment', body), link.id);
}

function statusPage(link: SimLink): string {
  return page('Payment', `<p>Payment link ${escapeHtml(link.id)} is ${escapeHtml(link.status)}.</p>`);
}
