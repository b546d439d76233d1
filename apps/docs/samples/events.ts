// Events: typed, delivered after the store committed the change, at least once.
import { bridge } from './first-integration';
import { shop } from './shop';

bridge.on('payment.accepted', async ({ payment }) => {
  await shop.markPaid(payment.orderId, payment.id); // once per payment; idempotent on payment.id
});

bridge.on('payment.anomaly', ({ payment, anomaly }) => {
  // A verified message that does not fit the payment (wrong amount, another transaction…): never paid.
  console.warn('review payment', payment?.id ?? '(unknown)', anomaly.code, anomaly.message);
});

bridge.on('refund.succeeded', async ({ payment, refund }) => {
  await shop.markRefunded(payment.orderId, refund.amount);
});
