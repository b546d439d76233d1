// Server side of the Vue button: sign the button's configuration, render token and config into the page.
import type { ButtonConfig } from '@paybridge/core';
import { bridge } from './button-bridge';

export async function checkoutButton(orderId: string) {
  const config: ButtonConfig = {
    reference: orderId,
    language: 'en',
    options: [
      { id: 'once', description: 'Yearly plan', amount: 9000, currency: 'EUR' },
      {
        id: 'monthly',
        description: 'Monthly plan',
        amount: 900,
        currency: 'EUR',
        recurrence: { interval: 'month', every: 1 },
      },
    ],
    paymentOptions: { backends: ['paypal', 'stripe'] },
    acceptedUrl: 'https://shop.example/thanks',
    declinedUrl: 'https://shop.example/cart',
  };
  // The token carries every amount; POST /start recomputes everything from it.
  return { token: await bridge.signButton(config), config };
}
