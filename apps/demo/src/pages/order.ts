import { displayMoney, type OrderView } from '@paybridge/core';
import { escapeHtml } from '@paybridge/core/kit';
import { layout } from './layout';

const ORDER_STATUS: Record<OrderView['status'], string> = {
  unpaid: 'Not paid',
  pending: 'Payment in progress',
  partially_paid: 'Partly paid',
  paid: 'Paid',
  refunded: 'Refunded',
};

const money = (amount: number | null, currency: string | null) =>
  amount === null || currency === null ? '—' : escapeHtml(displayMoney(amount, currency));

/** A subscription as the shop sees it: the parent payment's state and the renewals paid so far. */
export interface SubscriptionView {
  status: 'waiting' | 'active' | 'cancelled' | 'ended' | 'suspended';
  paidPeriods: number;
}

function subscriptionPanel(sub: SubscriptionView): string {
  if (sub.status === 'waiting') {
    return `<p class="status" role="status" aria-live="polite">Waiting for the broker to confirm the subscription…</p>`;
  }
  return `<p class="status" role="status" aria-live="polite" data-settled>Subscription <span class="badge ${sub.status === 'active' ? 'accepted' : 'failed'}" data-testid="subscription-status">${escapeHtml(sub.status)}</span> · <span data-testid="paid-periods">${sub.paidPeriods} payment${sub.paidPeriods === 1 ? '' : 's'} received</span></p>`;
}

/** The part of the order page that the browser reloads once the payment settles. */
export function orderSummary(
  view: OrderView,
  restBrokers: Array<{ id: string; displayName: string }>,
  subscription: SubscriptionView | null = null,
  nameOf: (backend: string) => string = (backend) => backend,
): string {
  const first = view.payments[0];
  if (subscription && first) {
    const every =
      first.recurrence?.every === 1
        ? first.recurrence.interval
        : `${first.recurrence?.every} ${first.recurrence?.interval}s`;
    return `<div class="panel"><p>${escapeHtml(first.description)} — ${money(first.amount, first.currency)} every ${escapeHtml(every)}, with ${escapeHtml(nameOf(first.backend))}</p>${subscriptionPanel(subscription)}</div>`;
  }
  const rows = [...view.payments]
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
    .map(
      (p) =>
        `<tr><td>${escapeHtml(nameOf(p.backend))}</td><td>${money(p.amount, p.currency)}</td><td><span class="badge ${escapeHtml(p.status)}">${escapeHtml(p.status)}</span></td></tr>`,
    )
    .join('');
  const pending = view.payments.some((p) => ['new', 'pending', 'authorized'].includes(p.status));
  const canPayRest =
    !pending &&
    (view.outstanding ?? 0) > 0 &&
    !view.payments.some((p) => p.recurrence) &&
    restBrokers.length > 0;
  const rest = canPayRest
    ? `<form method="post" action="/orders/${escapeHtml(view.orderId)}/pay-rest" class="panel"><label>Pay ${view.amountPaid > 0 ? 'the remaining ' : ''}${money(view.outstanding, view.currency)} with
<select name="backend">${restBrokers.map((b) => `<option value="${escapeHtml(b.id)}">${escapeHtml(b.displayName)}</option>`).join('')}</select></label> <button type="submit">Pay</button></form>`
    : '';
  return `<div class="panel"><p class="status">Order status: <span class="badge ${escapeHtml(view.status)}" data-testid="order-status">${escapeHtml(ORDER_STATUS[view.status])}</span></p>
<p>${first ? `${escapeHtml(first.description)} — ` : ''}total ${money(view.amount, view.currency)} · paid ${money(view.amountPaid, view.currency)}${view.amountRefunded ? ` · refunded ${money(view.amountRefunded, view.currency)}` : ''} · outstanding ${money(view.outstanding, view.currency)}</p>
<table><tr><th>paid with</th><th>amount</th><th>status</th></tr>${rows}</table></div>${rest}`;
}

export function orderPage(
  view: OrderView,
  paymentId: string | null,
  restBrokers: Array<{ id: string; displayName: string }>,
  subscription: SubscriptionView | null = null,
  nameOf: (backend: string) => string = (backend) => backend,
): string {
  // The bridge's public status of a subscription's first payment stays "new" (renewals are child
  // payments), so a subscription's page follows the order summary instead of the payment status.
  const status = subscription
    ? `<div data-order-poll data-order-id="${escapeHtml(view.orderId)}"></div>`
    : paymentId
      ? `<div class="panel" data-pb-status data-payment-id="${escapeHtml(paymentId)}" data-order-id="${escapeHtml(view.orderId)}"><p class="muted">Checking the payment…</p></div>`
      : '';
  return layout(
    `Order ${view.orderId}`,
    `<h1>Order ${escapeHtml(view.orderId)}</h1>${status}<div id="order-summary">${orderSummary(view, restBrokers, subscription, nameOf)}</div><p><a href="/">← Back to the shop</a></p>`,
    { client: true },
  );
}
