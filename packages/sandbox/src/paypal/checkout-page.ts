import { PAYPAL_HTML, withOwnHeaders } from '../lib/response';
import type { BrowserStep } from '../lib/simulator';
import type { CheckoutOrder, SubscriptionTerm } from './checkout-request';
import { formatAmount } from './currencies';

/** Echoed request values are cut to this many characters before they are escaped into a page. */
export const MAX_ECHOED_CHARS = 120;
const MAX_PROBLEMS = 20;

/** An echoed request value: bounded, so a page cannot carry an attacker's megabytes back. */
export function bounded(text: string, max = MAX_ECHOED_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body><main>${body}</main></body></html>`;

const UNIT_NAMES = { D: 'day', W: 'week', M: 'month', Y: 'year' } as const;

function termText(term: SubscriptionTerm, currency: string): string {
  const unit = UNIT_NAMES[term.unit];
  return `${formatAmount(term.amountMinor, currency)} ${currency} for ${term.count} ${unit}${term.count > 1 ? 's' : ''}`;
}

function priceHtml(order: CheckoutOrder): string {
  const plan = order.plan;
  if (!plan) {
    return `<p>Total: <strong data-amount>${formatAmount(order.grossMinor, order.currency)} ${order.currency}</strong></p>`;
  }
  const lines = [
    plan.trial1 ? `<li>Trial: ${termText(plan.trial1, order.currency)}</li>` : '',
    plan.trial2 ? `<li>Second trial: ${termText(plan.trial2, order.currency)}</li>` : '',
    `<li>Then: <strong data-amount>${termText(plan.regular, order.currency)}</strong>` +
      (plan.recurring ? (plan.recurTimes ? `, ${plan.recurTimes} times` : ', until cancelled') : ', once') +
      '</li>',
  ];
  return `<ul>${lines.join('')}</ul>`;
}

/** The hosted checkout: item, amount, Pay / Cancel, and the sandbox-only outcomes. */
export function checkoutPageHtml(
  order: CheckoutOrder,
  actionUrl: string,
  deliveryRefusal: string | null = null,
): string {
  const action = escapeHtml(actionUrl);
  // The buyer (usually the developer) must see why the shop will hear nothing about this payment.
  const refusal = deliveryRefusal
    ? `<p class="error" role="alert">No IPN will be sent for this payment: ${escapeHtml(deliveryRefusal)}</p>`
    : '';
  return page(
    'Pay with PayPal (sandbox)',
    `<h1>PayPal sandbox checkout</h1>${refusal}` +
      `<p>Merchant: ${escapeHtml(order.vars.business ?? '')}</p>` +
      `<p>Item: <span data-item>${escapeHtml(order.itemName)}</span></p>` +
      priceHtml(order) +
      `<form method="post" action="${action}">` +
      `<label>First name <input name="first_name" value="John"></label>` +
      `<label>Last name <input name="last_name" value="Doe"></label>` +
      `<label>Email <input name="email" value="buyer@example.com"></label>` +
      `<button name="action" value="pay">Pay</button>` +
      `<button name="action" value="cancel">Cancel and return to merchant</button>` +
      `<fieldset><legend>Sandbox outcomes</legend>` +
      `<label>Pending reason <input name="pending_reason" value="echeck"></label>` +
      `<button name="action" value="pending">Pay, pending</button>` +
      `<button name="action" value="deny">Pay, later denied</button>` +
      `<button name="action" value="fail">Pay, later failed</button>` +
      `</fieldset></form>`,
  );
}

export function errorPage(status: number, title: string, problems: readonly string[]): Response {
  const shown = problems.slice(0, MAX_PROBLEMS).map((problem) => bounded(problem, 300));
  if (problems.length > MAX_PROBLEMS) shown.push(`… and ${problems.length - MAX_PROBLEMS} more`);
  const items = shown.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('');
  return withOwnHeaders(page(title, `<h1>${escapeHtml(title)}</h1><ul>${items}</ul>`), status, PAYPAL_HTML);
}

export function noticePage(title: string, text: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}

/** What a real browser receives for a BrowserStep: a 303, an auto-submitting form, or a page. */
export function browserStepResponse(step: BrowserStep): Response {
  if (step.method === 'GET') return new Response(null, { status: 303, headers: { location: step.url } });
  if (step.method === 'NONE') return withOwnHeaders(step.html, 200, PAYPAL_HTML);
  const inputs = Object.entries(step.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const html = page(
    'Returning to the merchant',
    `<form id="return" method="post" action="${escapeHtml(step.url)}">${inputs}` +
      `<noscript><button>Return to merchant</button></noscript></form>` +
      `<script>document.getElementById('return').submit()</script>`,
  );
  return withOwnHeaders(html, 200, PAYPAL_HTML);
}
