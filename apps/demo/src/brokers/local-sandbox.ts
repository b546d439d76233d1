import { createSandbox, type Sandbox, type SandboxClock } from '@paybridge/sandbox';
import type { LocalKeys } from '../local-keys';
import { LOCAL, localPos, localRazorpayKeys } from './local';

/** A real-time clock that can jump ahead, so a subscription's next month can be tried in seconds. */
export function skippableClock(): SandboxClock & { offset(): number } {
  let offset = 0;
  return {
    manual: false,
    now: () => Date.now() + offset,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError('advance() takes a non-negative number of ms');
      offset += ms;
    },
    offset: () => offset,
  };
}

/** The local sandbox (mounted at `<publicUrl>/sandbox`) holding the `LOCAL` accounts with their keys. */
export function createLocalSandbox(
  publicUrl: string,
  clock: SandboxClock,
  send: (request: Request) => Promise<Response>,
  keys: LocalKeys,
): Sandbox {
  const sandbox = createSandbox({
    baseUrl: `${publicUrl}/sandbox`,
    clock,
    fetch: send,
    // Brokers' calls go to this demo's bridge only: a PayPal form or PayU order naming any other URL
    // (http://127.0.0.1:<another port>, the demo's own /admin) is refused, never called (SSRF).
    deliveryAllowList: [`${publicUrl}/payments`],
    paypal: { accounts: [{ business: LOCAL.paypal.business, receiverId: LOCAL.paypal.receiverId }] },
    payu: {
      pos: LOCAL.payu
        .map((p) => localPos(p, keys))
        .map((pos) => ({
          posId: pos.posId,
          clientId: pos.clientId,
          clientSecret: pos.clientSecret,
          secondKey: pos.secondKey,
          currency: pos.currency,
        })),
    },
    stripe: { secretKeys: [keys.stripe.secretKey] },
    przelewy24: {
      merchants: [
        { merchantId: LOCAL.przelewy24.merchantId, posId: LOCAL.przelewy24.merchantId, ...keys.przelewy24 },
      ],
      // The admin has no "complete refunds" control for P24: its refunds complete at once, notified.
      autoCompleteRefunds: true,
    },
    razorpay: (() => {
      const { keyId, keySecret, webhookSecret } = localRazorpayKeys(keys);
      return {
        accounts: [{ keyId, keySecret }],
        webhooks: [{ url: `${publicUrl}/payments/notify/razorpay`, secret: webhookSecret }],
      };
    })(),
    flutterwave: {
      secretKeys: [keys.flutterwave.secretKey],
      secretHash: keys.flutterwave.secretHash,
      // The dashboard's webhook URL: this demo's own notification route.
      webhookUrl: `${publicUrl}/payments/notify/flutterwave`,
    },
  });
  sandbox.stripe.addWebhookEndpoint({
    url: `${publicUrl}/payments/notify/stripe`,
    secret: keys.stripe.webhookSecret,
  });
  sandbox.cmcic.addTpe({
    tpe: LOCAL.cmcic.tpe,
    key: keys.cmcic,
    societe: LOCAL.cmcic.company,
    scheme: 'current',
    retourUrl: `${publicUrl}/payments/notify/cmcic`,
  });
  return sandbox;
}
