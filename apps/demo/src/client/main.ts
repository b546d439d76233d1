// The browser side of the demo: the payment button on each product, the payment status on the order page.
import { PaymentButton, PaymentStatus } from '@paybridge/vue-button';
import { createApp, h } from 'vue';

const BRIDGE = '/payments';

for (const [index, element] of document.querySelectorAll<HTMLElement>('[data-pb-button]').entries()) {
  const button = JSON.parse(element.dataset.pbButton ?? '{}');
  const app = createApp({ render: () => h(PaymentButton, { baseUrl: BRIDGE, button }) });
  // One Vue app per product: without its own id prefix every app's useId() starts at the same value,
  // so the broker radios of all the cards would share one name and form a single radio group.
  app.config.idPrefix = `pb${index}`;
  app.mount(element);
}

const status = document.querySelector<HTMLElement>('[data-pb-status]');
if (status) {
  const orderId = status.dataset.orderId ?? '';
  // Once the payment settles, the order's own summary (split payments, totals) is read again.
  const refresh = async () => {
    const response = await fetch(`/orders/${encodeURIComponent(orderId)}/summary`);
    const summary = document.getElementById('order-summary');
    if (response.ok && summary) summary.innerHTML = await response.text();
  };
  createApp({
    render: () =>
      h(PaymentStatus, {
        baseUrl: BRIDGE,
        paymentId: status.dataset.paymentId,
        pollInterval: 1000,
        // This page is the success and the failure page: links to itself would only reload it, and
        // the page has its own way back to the shop (and its own form to pay again).
        acceptedUrl: '',
        declinedUrl: '',
        onSettled: () => void refresh(),
      }),
  }).mount(status);
}

// Subscriptions: follow the order summary until the broker has confirmed the sign-up.
const orderPoll = document.querySelector<HTMLElement>('[data-order-poll]');
if (orderPoll) {
  const orderId = orderPoll.dataset.orderId ?? '';
  const tick = async () => {
    const response = await fetch(`/orders/${encodeURIComponent(orderId)}/summary`).catch(() => null);
    const summary = document.getElementById('order-summary');
    if (response?.ok && summary) summary.innerHTML = await response.text();
    if (!document.querySelector('#order-summary [data-settled]')) setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}
