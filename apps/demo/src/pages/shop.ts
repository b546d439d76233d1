import { type ButtonConfig, displayMoney } from '@paybridge/core';
import { escapeHtml } from '@paybridge/core/kit';
import type { Product } from '../catalog';
import { layout } from './layout';

export interface ShopPageData {
  buttons: Array<{
    product: Product;
    /** The brokers the bridge finds for the product's default option. */
    offered: Array<{ id: string; displayName: string }>;
    button: { token: string; config: ButtonConfig };
  }>;
  /** The demo buyer's store credit, EUR minor units. */
  balance: number;
  /** Brokers that can take the rest of a split payment in EUR. */
  splitBrokers: Array<{ id: string; displayName: string }>;
  real: { paypal: boolean; payu: boolean; cmcic: boolean; stripe: boolean };
}

function price(product: Product): string {
  return product.options
    .map((o) => {
      const every = o.recurrence
        ? ` / ${o.recurrence.every === 1 ? o.recurrence.interval : `${o.recurrence.every} ${o.recurrence.interval}s`}`
        : '';
      return escapeHtml(displayMoney(o.amount, o.currency) + every);
    })
    .join(' <span class="muted">or</span> ');
}

function splitForm(product: Product, data: ShopPageData): string {
  const option = product.options[0];
  if (!product.split || !option) return '';
  const credit = Math.min(data.balance, option.amount);
  const rest = option.amount - credit;
  const choices = data.splitBrokers
    .map((b) => `<option value="${escapeHtml(b.id)}">${escapeHtml(b.displayName)}</option>`)
    .join('');
  const id = `split-${escapeHtml(product.id)}`;
  return `<form class="split" method="post" action="/split" data-testid="${id}">
<input type="hidden" name="product" value="${escapeHtml(product.id)}">
<p><strong>Or split it:</strong> ${escapeHtml(displayMoney(credit, option.currency))} from your store credit, then ${escapeHtml(displayMoney(rest, option.currency))} through a broker.</p>
<div class="row"><label for="${id}">Broker</label><select id="${id}" name="backend">${choices}</select></div>
<button type="submit" class="secondary">Pay with store credit + broker</button></form>`;
}

export function shopPage(data: ShopPageData): string {
  const cards = data.buttons
    .map(({ product, offered, button }) => {
      const json = escapeHtml(JSON.stringify(button));
      // With one broker the button shows no choice: say which one it is.
      const only =
        offered.length === 1
          ? `<p class="only" data-testid="only-broker">Paid with <strong>${escapeHtml(offered[0]?.displayName ?? '')}</strong>, the only broker here that takes it.</p>`
          : '';
      return `<article class="card" data-product="${escapeHtml(product.id)}">
<div class="picture" aria-hidden="true" style="background:${escapeHtml(product.colour)}">${escapeHtml(
        product.name
          .replace(/^paybridge /, '')
          .slice(0, 1)
          .toUpperCase(),
      )}</div>
<h2>${escapeHtml(product.name)}</h2>
<p class="desc">${escapeHtml(product.description)}</p>
<p class="price">${price(product)}</p>${only}
<div data-pb-button="${json}"><p class="muted">Loading the payment button…</p></div>
${splitForm(product, data)}
</article>`;
    })
    .join('\n');
  const names = { paypal: 'PayPal', payu: 'PayU', cmcic: 'CM-CIC', stripe: 'Stripe' } as const;
  const brokers = (['paypal', 'payu', 'cmcic', 'stripe'] as const)
    .map((b) => `${names[b]}: ${data.real[b] ? 'broker’s own sandbox' : 'local sandbox'}`)
    .join(' · ');
  return layout(
    'paybridge demo shop',
    `<h1>paybridge demo shop</h1>
<div class="panel"><p style="margin:0">Each product lists only the brokers that take its currency (and its recurrence). Your store credit: <strong data-testid="balance">${escapeHtml(displayMoney(data.balance, 'EUR'))}</strong>.</p>
<p class="muted" style="margin:.3rem 0 0;font-size:.85rem">${escapeHtml(brokers)}</p></div>
<div class="grid">${cards}</div>`,
    { client: true },
  );
}
