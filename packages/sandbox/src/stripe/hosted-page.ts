import { crossSiteRefusal, forbiddenPage } from '../lib/http-guard';
import { type BrowserStep, SESSION_HEADER } from '../lib/simulator';
import { formatMoney } from './currencies';
import { dispatch } from './events';
import { PAGE_BODY_LIMIT, readBody } from './http';
import { accountOf, lookup, type StripeState } from './model';
import { submitIban } from './sepa-debit';
import { answer3ds, openSession, type PageOutcome, submitCard } from './session-lifecycle';

/** What the buyer does on the hosted Checkout page (`sandbox.stripe.act`). */
export type StripeAction =
  | { card: string; email?: string }
  | { iban: string; email?: string }
  | { authenticate: 'complete' | 'fail' };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Stripe sandbox</title></head><body><p><strong>TEST MODE</strong></p><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function html(status: number, body: string, sessionId: string): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html;charset=utf-8',
      'cache-control': 'no-store',
      [SESSION_HEADER]: sessionId,
    },
  });
}

/** The buyer's action, as the page's forms do it; schedules the resulting webhooks. */
export function act(state: StripeState, sessionId: string, action: StripeAction): BrowserStep {
  if (!state.sessions.has(sessionId)) throw new Error(`Stripe sandbox: no Checkout Session ${sessionId}`);
  let outcome: PageOutcome;
  if ('card' in action) outcome = submitCard(state, sessionId, action.card, action.email ?? null);
  else if ('iban' in action) outcome = submitIban(state, sessionId, action.iban, action.email ?? null);
  else outcome = answer3ds(state, sessionId, action.authenticate === 'complete');
  dispatch(state);
  if (outcome.kind === 'redirect') return { method: 'GET', url: outcome.url };
  if (outcome.kind === 'three_d_secure')
    return { method: 'GET', url: `${state.env.baseUrl}/c/3ds/${sessionId}` };
  if (outcome.kind === 'error')
    return { method: 'NONE', html: checkoutPage(state, sessionId) ?? page('Error', '') };
  return { method: 'NONE', html: closedPage(outcome.status) };
}

function closedPage(status: string): string {
  if (status === 'complete') return page('Payment complete', '<p>This Checkout Session is complete.</p>');
  if (status === 'expired')
    return page(
      'Session expired',
      '<p>This Checkout Session has expired. Return to the shop to try again.</p>',
    );
  return page('Not found', '<p>This payment page does not exist.</p>');
}

function checkoutPage(state: StripeState, id: string): string | null {
  const open = openSession(state, id);
  if (!open) return null;
  const { session, internals } = open;
  const action = escapeHtml(`${new URL(state.env.baseUrl).pathname}/c/pay/${id}`);
  const lines = internals.lineItems
    .map(
      (l) =>
        `<li>${escapeHtml(l.name)} × ${l.quantity} — ${escapeHtml(formatMoney(l.unitAmount * l.quantity, l.currency))}${l.recurring ? ` every ${l.recurring.interval_count} ${l.recurring.interval}` : ''}</li>`,
    )
    .join('');
  const email = session.customer_email
    ? `<p>${escapeHtml(session.customer_email as string)}</p>`
    : '<label>Email <input name="email" type="email" autocomplete="email"></label>';
  const error = internals.pageError ? `<p role="alert">${escapeHtml(internals.pageError)}</p>` : '';
  const card = `<form method="post" action="${action}"><input type="hidden" name="method" value="card">${email}<label>Card number <input name="card" inputmode="numeric" value="4242 4242 4242 4242"></label><label>Expiry <input name="exp" value="12 / 34"></label><label>CVC <input name="cvc" value="123"></label><button type="submit">Pay ${escapeHtml(formatMoney(session.amount_total as number, session.currency as string))}</button></form>`;
  const sepa = (session.payment_method_types as string[]).includes('sepa_debit')
    ? `<form method="post" action="${action}"><input type="hidden" name="method" value="sepa_debit">${email}<label>IBAN <input name="iban" value="DE89370400440532013000"></label><button type="submit">Pay by SEPA Direct Debit</button></form>`
    : '';
  const back = session.cancel_url
    ? `<p><a href="${escapeHtml(session.cancel_url as string)}">← Back</a></p>`
    : '';
  return page('Checkout', `<ul>${lines}</ul>${error}${card}${sepa}${back}`);
}

function threeDsPage(state: StripeState, id: string): string {
  const action = escapeHtml(`${new URL(state.env.baseUrl).pathname}/c/3ds/${id}`);
  const button = (value: string, label: string) =>
    `<form method="post" action="${action}"><input type="hidden" name="outcome" value="${value}"><button type="submit">${label}</button></form>`;
  return page(
    '3D Secure 2 Test Page',
    `<p>Complete or fail this test authentication.</p>${button('complete', 'Complete')}${button('fail', 'Fail')}`,
  );
}

/** `/c/pay/:id` (the session's `url`) and `/c/3ds/:id` (the 3-D Secure test step). */
export async function hostedPage(
  state: StripeState,
  request: Request,
  kind: 'pay' | '3ds',
  id: string,
): Promise<Response> {
  const session = lookup(state, accountOf(state, id), id, 'checkout.session');
  if (!session) return html(404, closedPage('missing'), id);
  if (request.method === 'GET' || request.method === 'HEAD') {
    const current =
      kind === 'pay'
        ? checkoutPage(state, id)
        : state.sessions.get(id)?.pending3ds && openSession(state, id)
          ? threeDsPage(state, id)
          : null;
    dispatch(state);
    return current
      ? html(200, current, id)
      : html(session.status === 'open' ? 409 : 410, closedPage(session.status as string), id);
  }
  if (request.method !== 'POST') return html(405, page('Method not allowed', ''), id);
  // State-changing browser POSTs must come from the page itself (the sandbox's shared Origin rule).
  const crossSite = crossSiteRefusal(request, new URL(state.env.baseUrl).origin);
  if (crossSite) return forbiddenPage(crossSite);
  const body = await readBody(request, PAGE_BODY_LIMIT);
  if (body === null) return html(413, page('Too large', ''), id);
  const form = new URLSearchParams(body);
  const email = form.get('email') || undefined;
  let step: BrowserStep;
  if (kind === '3ds') {
    const outcome = form.get('outcome');
    if (outcome !== 'complete' && outcome !== 'fail')
      return html(400, page('Bad request', '<p>Unknown answer.</p>'), id);
    step = act(state, id, { authenticate: outcome });
  } else if (form.get('method') === 'sepa_debit') {
    step = act(state, id, { iban: form.get('iban') ?? '', ...(email ? { email } : {}) });
  } else if (form.get('method') === 'card') {
    step = act(state, id, { card: form.get('card') ?? '', ...(email ? { email } : {}) });
  } else {
    return html(400, page('Bad request', '<p>Unknown payment method.</p>'), id);
  }
  if (step.method === 'GET')
    return new Response(null, { status: 303, headers: { location: step.url, [SESSION_HEADER]: id } });
  const stillOpen = session.status === 'open';
  return html(stillOpen ? 402 : 410, step.method === 'NONE' ? step.html : '', id);
}
