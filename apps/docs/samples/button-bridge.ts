// A bridge whose payments start from signed buttons only: `secret` instead of `orders.resolve`.
import { createPaybridge } from '@paybridge/core';
import { paypalIpnOnly } from './paypal';
import { stripeBackend } from './stripe';

export const bridge = createPaybridge({
  baseUrl: 'https://shop.example/payments',
  backends: [paypalIpnOnly, stripeBackend],
  secret: process.env.PAYBRIDGE_SECRET!, // at least 32 characters
});
