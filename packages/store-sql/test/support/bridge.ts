import { createPaybridge, type Paybridge, type PaymentStore, silentLogger } from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { hmac, toHex, utf8 } from '@paybridge/core/kit';

export const BASE = 'https://shop.example/payments';
export const SIGNING_KEY = 'dummy-signing-key-7f3a9c1e5b2d4f60';
export const BUTTON_SECRET = 'button-secret-0b8e2d6a4c9f1e3b5a7d9c2e4f6a8b0c';

/** A bridge on `store` with the dummy backend (known signing key) and one resolvable order per id. */
export function bridgeOn(store: PaymentStore): { bridge: Paybridge; accepted: string[] } {
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [dummy({ signingKey: SIGNING_KEY })],
    store,
    logger: silentLogger,
    secret: BUTTON_SECRET,
    orders: { resolve: (orderId) => ({ amount: 2500, currency: 'EUR', description: `Order ${orderId}` }) },
  });
  const accepted: string[] = [];
  bridge.on('payment.accepted', (event) => {
    accepted.push(event.payment.id);
  });
  return { bridge, accepted };
}

/** The dummy broker's server-to-server notification: JSON body, HMAC-SHA256 hex of the exact bytes. */
export async function dummyNotification(
  payment: { id: string; amount: number; currency: string },
  eventId: string,
  options: { url?: string; headers?: Record<string, string> } = {},
): Promise<Request> {
  const body = JSON.stringify({
    paymentId: payment.id,
    action: 'pay',
    eventId,
    amount: payment.amount,
    currency: payment.currency,
  });
  const signature = toHex(await hmac('SHA-256', utf8(SIGNING_KEY), utf8(body)));
  return new Request(options.url ?? `${BASE}/notify/dummy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dummy-signature': signature, ...options.headers },
    body,
  });
}
