// Browser side: the checkout page's button and the return page's status.
import { PaymentButton, PaymentStatus } from '@paybridge/vue-button';
import { createApp, h } from 'vue';
import type { checkoutButton } from './button-server';

type SignedButton = Awaited<ReturnType<typeof checkoutButton>>;

export function mountCheckout(element: HTMLElement, button: SignedButton): void {
  createApp({
    render: () =>
      h(PaymentButton, {
        baseUrl: '/payments',
        button,
        onError: (error: { code: string; message: string }) => console.warn(error.code, error.message),
      }),
  }).mount(element);
}

export function mountReturnPage(element: HTMLElement): void {
  createApp({
    render: () =>
      h(PaymentStatus, {
        baseUrl: '/payments',
        // The bridge's return route appends ?payment=<id> to the accepted/declined URL.
        paymentId: new URLSearchParams(location.search).get('payment') ?? undefined,
        acceptedUrl: 'https://shop.example/account',
        declinedUrl: 'https://shop.example/cart',
      }),
  }).mount(element);
}
