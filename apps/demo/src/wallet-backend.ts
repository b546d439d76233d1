import {
  displayMoney,
  type NotificationOutcome,
  type PaymentBackend,
  type PaymentFact,
} from '@paybridge/core';
import {
  escapeHtml,
  fromHex,
  hmac,
  parseSettings,
  randomId,
  timingSafeEqual,
  toHex,
  utf8,
} from '@paybridge/core/kit';
import { z } from 'zod';
import { isSameOriginRequest } from './same-origin';
import type { WalletLedger } from './wallet-ledger';

/**
 * A custom backend written in the shop itself, to show how any payment means plugs into paybridge:
 * store credit (a wallet). Its "hosted page" is served by the bridge under `/backend/wallet/…`; the
 * buyer confirms there, the wallet debits its ledger and reports the result as a signed
 * notification that goes through the bridge's real pipeline (message log, dedupe, status machine,
 * events) exactly like a broker's.
 */
const settingsSchema = z.object({
  ledger: z.custom<WalletLedger>(
    (value) => typeof value === 'object' && value !== null && 'debit' in value && 'credit' in value,
    { message: 'a WalletLedger (balance, debit, credit) is required' },
  ),
  currencies: z
    .array(z.string().regex(/^[A-Z]{3}$/))
    .min(1)
    .default(['EUR']),
  /**
   * The wallet account of the buyer making a request (the shop's signed-in customer), or null. The
   * confirmation page serves a payment only to its own buyer: knowing a payment id is not enough.
   */
  buyerOf: z.custom<(request: Request) => string | null>((value) => typeof value === 'function', {
    message: 'a function (request) => wallet account | null is required',
  }),
  /** Signs the page's notifications; random per process when absent. */
  signingKey: z.string().min(16).optional(),
  id: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('wallet'),
  displayName: z.string().min(1).default('Store credit'),
});

export type WalletSettings = z.input<typeof settingsSchema>;

const notificationSchema = z.object({
  paymentId: z.string().min(1).max(100),
  outcome: z.enum(['debited', 'cancelled']),
  eventId: z.string().min(1).max(100),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

/** Whose wallet pays: the merchant's customer id, else the buyer's email. */
export const walletAccount = (buyer: { customerId?: string; email?: string }) =>
  buyer.customerId ?? buyer.email ?? null;

export function wallet(settings: WalletSettings) {
  const config = parseSettings('Store credit', settingsSchema, settings);
  const { ledger, id, buyerOf } = config;
  const signingKey = config.signingKey ?? toHex(crypto.getRandomValues(new Uint8Array(32)));
  const sign = async (body: string) => toHex(await hmac('SHA-256', utf8(signingKey), utf8(body)));
  const rejected = (code: 'INVALID_SIGNATURE' | 'MALFORMED_NOTIFICATION', message: string) =>
    ({ verdict: 'rejected', code, message, ack: { status: 400, body: message } }) as const;

  return {
    id,
    displayName: config.displayName,
    currencies: config.currencies,
    capabilities: {
      capture: false,
      cancel: false,
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: false,
    },
    // The wallet lives inside the shop; `.invalid` (RFC 2606) never resolves.
    endpoints: { live: 'https://wallet.invalid', test: 'https://wallet.invalid' },
    secrets: [signingKey],

    async prepare(payment, ctx) {
      return {
        redirect: {
          method: 'GET',
          url: `${ctx.baseUrl}/backend/${id}/pay/${encodeURIComponent(payment.id)}`,
        },
      };
    },

    async handleNotification(message, ctx): Promise<NotificationOutcome> {
      const text = new TextDecoder().decode(message.body);
      let received: Uint8Array;
      try {
        received = fromHex(message.headers.get('x-wallet-signature') ?? '');
      } catch {
        return rejected('INVALID_SIGNATURE', 'missing or malformed signature');
      }
      if (!timingSafeEqual(fromHex(await sign(text)), received)) {
        return rejected('INVALID_SIGNATURE', 'bad signature');
      }
      let data: z.infer<typeof notificationSchema>;
      try {
        data = notificationSchema.parse(JSON.parse(text));
      } catch {
        return rejected('MALFORMED_NOTIFICATION', 'unreadable notification');
      }
      const payment = await ctx.getPayment(data.paymentId);
      if (payment?.backend !== id) {
        return {
          verdict: 'rejected',
          code: 'UNKNOWN_PAYMENT',
          message: 'no such wallet payment',
          ack: { status: 200, body: 'unknown payment' },
        };
      }
      const facts: PaymentFact[] =
        data.outcome === 'debited'
          ? [
              {
                type: 'captured',
                eventId: data.eventId,
                captureId: data.paymentId,
                amount: data.amount,
                currency: data.currency,
              },
            ]
          : [{ type: 'failed', eventId: data.eventId, reason: 'the buyer left the store credit page' }];
      return {
        verdict: 'verified',
        updates: [{ paymentId: data.paymentId, facts }],
        ack: { status: 200, body: 'OK' },
      };
    },

    async refund(payment, request) {
      const account = walletAccount(payment.buyer);
      if (!account) throw new Error('the payment names no wallet account');
      // Keyed by our refund id: a retried refund credits the wallet once.
      await ledger.credit(account, payment.currency, request.amount, `refund:${request.refundId}`);
      return {
        facts: [
          {
            type: 'refunded',
            eventId: `refund:${request.refundId}`,
            refundId: request.refundId,
            amount: request.amount,
            currency: payment.currency,
          },
        ],
      };
    },

    async handleRequest(path, request, ctx) {
      const match = /^\/pay\/([^/]+)$/.exec(path);
      if (!match) return undefined;
      const payment = await ctx.getPayment(decodeURIComponent(match[1] as string));
      if (payment?.backend !== id) return page('Unknown payment', '<h1>Unknown payment</h1>', 404);
      const account = walletAccount(payment.buyer);
      // The confirmation spends the buyer's money: only from our own page (no cross-site form), and only
      // for the buyer the payment belongs to.
      if (request.method !== 'GET' && !isSameOriginRequest(request, new URL(ctx.baseUrl).origin)) {
        ctx.logger.warn('store credit page refused', { code: 'CROSS_ORIGIN_REQUEST', paymentId: payment.id });
        return page(
          'Refused',
          '<h1>Refused</h1><p>CROSS_ORIGIN_REQUEST: send this form from its own page.</p>',
          403,
        );
      }
      if (!account || buyerOf(request) !== account) {
        ctx.logger.warn('store credit page refused', { code: 'NOT_PAYMENT_OWNER', paymentId: payment.id });
        return page('Not your payment', '<h1>Not your payment</h1><p>NOT_PAYMENT_OWNER</p>', 403);
      }
      const back = () =>
        new Response(null, { status: 303, headers: { location: ctx.returnUrl(payment.id) } });
      if (payment.status !== 'new') return back();
      const amount = escapeHtml(displayMoney(payment.amount, payment.currency));
      const balance = account ? await ledger.balance(account, payment.currency) : 0;

      if (request.method === 'POST') {
        const action = new URLSearchParams(await request.text()).get('action');
        let outcome: 'debited' | 'cancelled';
        if (action === 'cancel') outcome = 'cancelled';
        else if (action === 'confirm') {
          // Debit first, keyed by the payment: a double click cannot spend twice.
          const debited = await ledger.debit(account, payment.currency, payment.amount, payment.id);
          if (!debited) {
            return page(
              'Not enough store credit',
              `<h1>Not enough store credit</h1><p>${amount} is more than your balance.</p>`,
              409,
            );
          }
          outcome = 'debited';
        } else return page('Bad request', '<h1>Unknown action</h1>', 400);
        const body = JSON.stringify({
          paymentId: payment.id,
          outcome,
          eventId: randomId('wal', 10),
          amount: payment.amount,
          currency: payment.currency,
        });
        await ctx.dispatchNotification(
          new Request(ctx.notifyUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-wallet-signature': await sign(body) },
            body,
          }),
        );
        return back();
      }

      const enough = balance >= payment.amount;
      return page(
        'Store credit',
        `<h1>Pay with store credit</h1><p>${escapeHtml(payment.description)}</p>` +
          `<p class="amount">${amount}</p>` +
          `<p>Your balance: <strong>${escapeHtml(displayMoney(balance, payment.currency))}</strong></p>` +
          `<form method="post">` +
          (enough
            ? `<button name="action" value="confirm" class="primary">Use ${amount} of store credit</button> `
            : `<p role="alert">Your balance is too low for this payment.</p>`) +
          `<button name="action" value="cancel">Cancel</button></form>`,
      );
    },

    setupInstructions(urls) {
      return {
        backend: id,
        displayName: config.displayName,
        urls: [{ label: 'Confirmation page', url: `${urls.baseUrl}/backend/${id}/pay/{paymentId}` }],
        steps: ['Nothing to configure at a broker: the wallet is part of the shop.'],
        warnings: [],
      };
    },
  } satisfies PaymentBackend;
}

function page(title: string, body: string, status = 200): Response {
  const css =
    'body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:2rem;border:1px solid #d5dae1;border-radius:12px;color:#1f2933}' +
    '.amount{font-size:2rem;font-weight:600;margin:.5rem 0}button{font:inherit;padding:.6rem 1.1rem;border-radius:8px;border:1px solid #8a8f98;background:#fff;cursor:pointer}' +
    'button.primary{background:#0b7a5a;border-color:#0b7a5a;color:#fff}';
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${css}</style></head><body>${body}</body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}
