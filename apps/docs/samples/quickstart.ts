// The smallest bridge: the built-in dummy broker (its own "pay / decline" page) and the memory store.
import { createPaybridge, memoryStore } from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';

const orders = new Map([['order-1', { amount: 1999, currency: 'EUR', description: 'A book' }]]);

export const bridge = createPaybridge({
  baseUrl: 'http://localhost:3000/payments',
  backends: [dummy()],
  store: memoryStore(),
  // Amounts come from your server, never from the browser.
  orders: { resolve: (orderId) => orders.get(orderId) ?? null },
});

bridge.on('payment.accepted', ({ payment }) => {
  console.log('paid', payment.orderId, payment.amount, payment.currency);
});

// Any runtime with Request/Response: hand the request to the bridge, return its answer.
export default { fetch: (request: Request) => bridge.handler(request) };
