// The browser side of the demo: the payment button on each product, the payment status on the order page.
import { PaymentButton, PaymentStatus } from '@paybridge/vue-button';
import { createApp, h } from 'vue';

const BRIDGE = '/payments';

for (const element of document.querySelectorAll<HTMLElement>('[data-pb-button]')) {
  const button = JSON.parse(element.dataset.pbButton ?? '{}');
  createApp({ render: () => h(PaymentButton, { baseUrl: BRIDGE, button }) }).mount(element);
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
        backUrl: '/',
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
