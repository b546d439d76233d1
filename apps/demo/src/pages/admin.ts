import {
  displayMoney,
  type GatewayMessage,
  type Payment,
  type PaymentBackend,
  type SetupInstructions,
  type Transition,
} from '@paybridge/core';
import { escapeHtml } from '@paybridge/core/kit';
import { layout } from './layout';

interface Flash {
  ok?: string | undefined;
  error?: string | undefined;
}

const e = escapeHtml;
const money = (amount: number, currency: string) => e(displayMoney(amount, currency));
const badge = (status: string) => `<span class="badge ${e(status)}">${e(status)}</span>`;
const flashHtml = (m: Flash) =>
  (m.ok ? `<p class="flash ok" role="status">${e(m.ok)}</p>` : '') +
  (m.error ? `<p class="flash error" role="alert">${e(m.error)}</p>` : '');
const post = (action: string, label: string, extra = '', secondary = false) =>
  `<form method="post" action="${e(action)}">${extra}<button type="submit"${secondary ? ' class="secondary"' : ''}>${e(label)}</button></form>`;

export interface AdminPageData {
  payments: Payment[];
  balance: number;
  sandboxTime: Date;
  queued: number;
  message: Flash;
}

export function adminPage(data: AdminPageData): string {
  const rows = data.payments
    .map(
      (p) =>
        `<tr><td><a href="/admin/payments/${e(p.id)}">${e(p.id)}</a>${p.parentPaymentId ? `<br><span class="muted">renewal of ${e(p.parentPaymentId)}</span>` : ''}${p.subscription && !p.parentPaymentId ? `<br><span class="muted">subscription</span> ${badge(p.subscription.status)}` : ''}</td><td class="nowrap"><a href="/orders/${e(p.orderId)}">${e(p.orderId)}</a></td><td>${e(p.backend)}</td><td>${badge(p.status)}</td><td>${money(p.amount, p.currency)}</td><td>${money(p.amountPaid, p.currency)}</td><td>${money(p.amountRefunded, p.currency)}</td><td class="muted">${e(p.createdAt.slice(0, 19).replace('T', ' '))}</td></tr>`,
    )
    .join('');
  return layout(
    'paybridge admin',
    `<h1>Payments</h1>${flashHtml(data.message)}
<div class="panel actions"><strong>Sandbox</strong> <span class="muted">clock ${e(data.sandboxTime.toISOString().slice(0, 16).replace('T', ' '))} UTC · ${data.queued} broker call(s) queued · store credit ${money(data.balance, 'EUR')}</span><br>
${post('/admin/sandbox/flush', 'Deliver broker calls now', '', true)}${post('/admin/sandbox/advance', 'Advance one month', '<input type="hidden" name="days" value="31">', true)}${post('/admin/sandbox/payu-refunds', 'Finalize PayU refunds', '', true)}
<a href="/admin/setup">Broker setup instructions →</a></div>
<div class="panel actions"><strong>Reconciliation</strong> <span class="muted">ask the brokers that can pull (PayU, Stripe, PayPal with API credentials) about every open payment: for notifications that never arrived</span><br>
${post('/admin/reconcile', 'Reconcile now')}</div>
<table><tr><th>payment</th><th>order</th><th>backend</th><th>status</th><th>amount</th><th>paid</th><th>refunded</th><th>created</th></tr>${rows || '<tr><td colspan="8" class="muted">No payments yet: buy something in the shop.</td></tr>'}</table>`,
  );
}

export interface PaymentPageData {
  payment: Payment;
  backend: PaymentBackend;
  transitions: Transition[];
  messages: GatewayMessage[];
  renewals: Payment[];
  message: Flash;
}

function actions(payment: Payment, backend: PaymentBackend): string {
  const base = `/admin/payments/${payment.id}`;
  const caps = backend.capabilities;
  const out: string[] = [];
  if (caps.capture && payment.status === 'authorized') out.push(post(`${base}/capture`, 'Capture'));
  if (caps.cancel && ['new', 'pending', 'authorized'].includes(payment.status))
    out.push(post(`${base}/cancel`, 'Cancel', '', true));
  // What a refund may still take: refunds the broker has not settled yet are already spoken for.
  const pending = payment.refunds
    .filter((r) => r.status === 'pending' && r.kind === 'refund')
    .reduce((sum, r) => sum + r.amount, 0);
  const refundable = payment.amountPaid - payment.amountRefunded - pending;
  const refundState = ['partially_paid', 'paid', 'partially_refunded'].includes(payment.status);
  if (caps.refund && refundState && refundable > 0) {
    // One idempotency key per rendered form: a double submit, or a resubmit after a lost answer, is
    // the same refund; the next page (a new payment version) offers a new one.
    const key = (which: string) =>
      `<input type="hidden" name="key" value="${e(`${which}-v${payment.version}`)}">`;
    if (payment.amountRefunded === 0 && pending === 0)
      out.push(post(`${base}/refund`, 'Refund in full', key('full')));
    else if (caps.partialRefund)
      out.push(
        post(
          `${base}/refund`,
          `Refund the rest (${displayMoney(refundable, payment.currency)})`,
          key('rest'),
        ),
      );
    if (caps.partialRefund)
      out.push(
        post(
          `${base}/refund`,
          'Refund part',
          `${key('part')}<label>Amount (${e(payment.currency)}) <input name="amount" size="7" inputmode="decimal" required></label> `,
          true,
        ),
      );
  }
  if (caps.refund && refundState && pending > 0)
    out.push(`<p class="muted">${money(pending, payment.currency)} of refunds wait for the broker.</p>`);
  if (caps.pull) out.push(post(`${base}/sync`, 'Sync from broker', '', true));
  return out.length
    ? `<div class="panel actions">${out.join('')}</div>`
    : `<p class="muted">No operation available for ${e(backend.displayName)} in this state${caps.refund ? '' : ` (${e(backend.displayName)} refunds are made in its back office and arrive as notifications)`}.</p>`;
}

function messageBlock(m: GatewayMessage): string {
  const body = m.bodyEncoding === 'base64' ? `(base64) ${m.body}` : m.body;
  const headers = Object.entries(m.headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
  return `<details class="log"><summary><span class="muted">${e(m.createdAt.slice(11, 19))}</span><strong>${m.direction === 'inbound' ? 'from' : 'to'} ${e(m.backend)}</strong><span>${e(m.kind)}</span>${m.verdict ? badge(m.verdict) : ''}${m.outcome && m.outcome !== String(m.responseStatus) ? `<span class="muted">${e(m.outcome)}</span>` : ''}<code>${e(m.method)} ${e(m.url)}</code>${m.responseStatus === null ? '' : `<span>→ ${m.responseStatus}</span>`}</summary>
<div class="cols"><div><strong>request</strong>${m.detail ? ` <span class="muted">${e(m.detail)}</span>` : ''}<pre>${e(headers)}\n\n${e(body.slice(0, 4000))}</pre></div><div><strong>answer</strong><pre>${e((m.responseBody ?? '').slice(0, 4000))}</pre></div></div></details>`;
}

export function paymentPage(data: PaymentPageData): string {
  const { payment: p } = data;
  const transitions = data.transitions
    .map(
      (t) =>
        `<tr><td class="muted">${e(t.at.slice(0, 19).replace('T', ' '))}</td><td>${badge(t.from)} → ${badge(t.to)}</td><td>${e(t.cause)}</td><td>${e(t.eventId ?? '')}</td><td>${money(t.amountPaid, p.currency)}</td><td>${money(t.amountRefunded, p.currency)}</td></tr>`,
    )
    .join('');
  const renewals = data.renewals.length
    ? `<h2>Subscription payments (${data.renewals.length})</h2><table><tr><th>payment</th><th>status</th><th>amount</th><th>broker id</th></tr>${data.renewals
        .map(
          (r) =>
            `<tr><td><a href="/admin/payments/${e(r.id)}">${e(r.id)}</a></td><td>${badge(r.status)}</td><td>${money(r.amount, r.currency)}</td><td>${e(r.externalId ?? '')}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return layout(
    `Payment ${p.id}`,
    `<p><a href="/admin">← All payments</a></p><h1>Payment ${e(p.id)} ${badge(p.status)}</h1>${flashHtml(data.message)}
<div class="panel"><table>
<tr><th>order</th><td><a href="/orders/${e(p.orderId)}">${e(p.orderId)}</a></td><th>backend</th><td>${e(data.backend.displayName)} (${e(p.backend)})${p.testMode ? ' · test mode' : ''}</td></tr>
<tr><th>amount</th><td>${money(p.amount, p.currency)}</td><th>broker id</th><td>${e(p.externalId ?? '—')}</td></tr>
<tr><th>authorized / paid / refunded</th><td>${money(p.amountAuthorized, p.currency)} / ${money(p.amountPaid, p.currency)} / ${money(p.amountRefunded, p.currency)}</td><th>subscription</th><td>${p.subscription ? `${e(p.subscription.id)} ${badge(p.subscription.status)}` : p.recurrence ? 'recurring' : '—'}</td></tr>
<tr><th>description</th><td>${e(p.description)}</td><th>buyer</th><td>${e(p.buyer.email ?? '')}</td></tr>
</table></div>
${actions(p, data.backend)}${renewals}
<h2>Transitions</h2><table><tr><th>at</th><th>change</th><th>cause</th><th>broker event</th><th>paid</th><th>refunded</th></tr>${transitions}</table>
<h2>Gateway message log (${data.messages.length})</h2><p class="muted">Every raw message exchanged with the broker for this payment, secrets redacted.</p>
${data.messages.map(messageBlock).join('')}
<h2>Broker data <span class="muted">(kept by ${e(p.backend)})</span></h2><pre>${e(JSON.stringify(p.brokerData[p.backend] ?? {}, null, 2))}</pre>`,
  );
}

export function setupPage(url: string, instructions: SetupInstructions[] | null): string {
  const blocks = (instructions ?? [])
    .map(
      (s) =>
        `<div class="panel"><h2>${e(s.displayName)} <span class="muted">(${e(s.backend)})</span></h2><table>${s.urls.map((u) => `<tr><th>${e(u.label)}</th><td><code>${e(u.url)}</code></td></tr>`).join('')}</table>${s.steps.length ? `<ol>${s.steps.map((step) => `<li>${e(step)}</li>`).join('')}</ol>` : ''}${s.warnings.map((w) => `<p class="flash error">${e(w)}</p>`).join('')}</div>`,
    )
    .join('');
  return layout(
    'Broker setup',
    `<p><a href="/admin">← All payments</a></p><h1>Broker setup instructions</h1>
<form method="get" class="panel"><label>Public URL of your shop <input name="url" value="${e(url)}" size="40"></label> <button type="submit">Show</button></form>
${instructions ? blocks : '<p class="flash error">That is not an absolute URL.</p>'}`,
  );
}
