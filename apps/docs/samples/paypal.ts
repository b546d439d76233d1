// PayPal Payments Standard: Buy Now and Subscribe buttons confirmed by IPN.
import { paypal } from '@paybridge/backend-paypal';

const env = process.env;

// IPN only: refunds are made in PayPal's back office and arrive as IPNs.
export const paypalIpnOnly = paypal({
  business: 'shop@example.com',
  receiverId: 'ABCDEFGHIJKLM', // recommended: every IPN must name this account
});

// With the classic NVP API credentials: status pull, refunds from your code, subscription cancel.
export const paypalWithApi = paypal({
  business: 'shop@example.com',
  receiverId: 'ABCDEFGHIJKLM',
  api: {
    username: 'shop_api1.example.com',
    password: env.PAYPAL_API_PASSWORD!,
    signature: env.PAYPAL_API_SIGNATURE!,
  },
});
