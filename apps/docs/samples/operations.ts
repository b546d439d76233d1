// Back-office operations. Each goes through the status machine like a notification would.
import { bridge } from './first-integration';

export async function refundDamagedItem(paymentId: string, ticket: string): Promise<void> {
  // The idempotency key makes a retried call (double click, timeout) the same refund.
  await bridge.refund(paymentId, {
    amount: 1500,
    reason: 'damaged item',
    idempotencyKey: `ticket-${ticket}`,
  });
}

export async function shipOrder(paymentId: string): Promise<void> {
  const payment = await bridge.getPayment(paymentId);
  if (payment?.status === 'authorized') await bridge.capture(paymentId);
}

export async function checkWithBroker(paymentId: string): Promise<string | undefined> {
  await bridge.sync(paymentId); // asks the broker, applies what it says
  return (await bridge.getPayment(paymentId))?.status;
}
