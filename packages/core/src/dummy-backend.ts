/**
 * `@paybridge/core/dummy`: a backend with no broker behind it, whose hosted page is served by the
 * bridge itself, for a first integration and for tests.
 *
 * @module dummy
 */

import * as z from '@paybridge/core/schema';
import type { NotificationOutcome, PaymentBackend } from './backend';
import { endpointUrlSchema } from './endpoint-url';
import { fromHex, randomId, timingSafeEqual, toHex, utf8 } from './lib/bytes';
import { hmac } from './lib/hashes';
import { escapeHtml, htmlPage } from './lib/html';
import { memoized } from './lib/memoized';
import { parseSettings } from './lib/parse-settings';
import { displayMoney } from './money';
import type { PaymentFact } from './types';

const settingsSchema = memoized(() =>
  z.object({
    /** Key of the dummy "broker"'s notification signature; random per process when absent. */
    signingKey: z.optional(z.string().check(z.minLength(16))),
    currencies: z.optional(z.array(z.string().check(z.regex(/^[A-Z]{3}$/))).check(z.minLength(1))),
    /** Hosted page offers "authorize only" so capture/cancel can be tried. */
    authorizeOnly: z.optional(z.boolean()),
    /** Default true (unlike real backends, it does not follow the bridge's `testMode`). */
    testMode: z.optional(z.boolean()),
    /** Accepted for uniformity; the dummy's "broker" is the bridge itself. */
    endpoint: z.optional(endpointUrlSchema()),
  }),
);

export type DummySettings = z.input<ReturnType<typeof settingsSchema>>;

const ACTIONS = ['pay', 'authorize', 'pending', 'decline'] as const;
type DummyAction = (typeof ACTIONS)[number];

const notificationSchema = memoized(() =>
  z.object({
    paymentId: z.string().check(z.minLength(1), z.maxLength(100)),
    action: z.enum(ACTIONS),
    eventId: z.string().check(z.minLength(1), z.maxLength(100)),
    amount: z.int().check(z.positive()),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
    /**
     * The dummy broker's transaction (the attempt `prepare` opened): binds the payment on money, and a
     * failure of another transaction naming the payment cannot fail it. Absent: about the payment itself.
     */
    transaction: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }),
);

/**
 * A pretend broker living inside the bridge, like django-getpaid's dummy: its own hosted
 * "pay / decline" page, and HMAC-signed notifications that go through the real pipeline. For trying
 * paybridge with zero configuration — never for real money.
 */
export function dummy(settings: DummySettings = {}) {
  const config = parseSettings('Dummy', settingsSchema(), settings);
  const signingKey = config.signingKey ?? toHex(crypto.getRandomValues(new Uint8Array(32)));
  const mac = (body: Uint8Array) => hmac('SHA-256', utf8(signingKey), body);
  const sign = async (body: string) => toHex(await mac(utf8(body)));
  const rejected = (
    code: 'INVALID_SIGNATURE' | 'MALFORMED_NOTIFICATION' | 'UNKNOWN_PAYMENT',
    message: string,
  ) => ({ verdict: 'rejected', code, message, ack: { status: 400, body: message } }) as const;

  return {
    id: 'dummy',
    displayName: 'Dummy',
    currencies: config.currencies ?? null,
    capabilities: {
      capture: true,
      cancel: true,
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: false,
    },
    // No money ever moves through the dummy: its payments are test payments unless explicitly told otherwise.
    testMode: config.testMode ?? true,
    // The dummy's broker is the bridge itself; `.invalid` (RFC 2606) can never resolve to anything real.
    endpoints: { live: 'https://dummy.paybridge.invalid', test: 'https://dummy.paybridge.invalid' },
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    secrets: [signingKey],

    // The redirect is computed here (a sealed form or a link): no call to the broker.
    prepareOffline: true,
    async prepare(payment, ctx) {
      return {
        redirect: {
          method: 'GET',
          url: `${ctx.baseUrl}/backend/dummy/pay/${encodeURIComponent(payment.id)}`,
        },
        // The dummy broker's transaction for this payment, as a real broker's order or attempt id.
        externalId: randomId('dmytx', 12),
      };
    },

    async handleNotification(message): Promise<NotificationOutcome> {
      const text = new TextDecoder().decode(message.body);
      const signature = message.headers.get('x-dummy-signature') ?? '';
      let received: Uint8Array;
      try {
        received = fromHex(signature);
      } catch {
        return rejected('INVALID_SIGNATURE', 'missing or malformed signature');
      }
      // Over the raw bytes, never over a decoded copy.
      if (!timingSafeEqual(await mac(message.body), received))
        return rejected('INVALID_SIGNATURE', 'bad signature');
      let data: z.infer<ReturnType<typeof notificationSchema>>;
      try {
        data = notificationSchema().parse(JSON.parse(text));
      } catch {
        return rejected('MALFORMED_NOTIFICATION', 'unreadable notification');
      }
      const facts: PaymentFact[] =
        data.action === 'pay'
          ? [
              {
                type: 'captured',
                eventId: data.eventId,
                captureId: data.paymentId,
                amount: data.amount,
                currency: data.currency,
              },
            ]
          : data.action === 'authorize'
            ? [{ type: 'authorized', eventId: data.eventId, amount: data.amount, currency: data.currency }]
            : data.action === 'pending'
              ? [{ type: 'pending', eventId: data.eventId }]
              : [{ type: 'failed', eventId: data.eventId, reason: 'declined on the dummy page' }];
      return {
        verdict: 'verified',
        updates: [
          {
            paymentId: data.paymentId,
            facts,
            ...(data.transaction === undefined ? {} : { transactionId: data.transaction }),
          },
        ],
        ack: { status: 200, body: 'OK' },
      };
    },

    async capture(payment, amount) {
      return {
        facts: [
          {
            type: 'captured',
            eventId: `capture:${payment.id}`,
            captureId: payment.id,
            amount,
            currency: payment.currency,
          },
        ],
      };
    },

    async cancel(payment) {
      return {
        facts: [{ type: 'failed', eventId: `cancel:${payment.id}`, reason: 'cancelled by the merchant' }],
      };
    },

    async refund(payment, request) {
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
      if (payment?.backend !== 'dummy')
        return htmlPage('Unknown payment', '<h1>Unknown payment</h1>', { status: 404 });
      if (request.method === 'POST') {
        if (isCrossSite(request, ctx.baseUrl)) {
          ctx.logger.warn('dummy page refused', { code: 'CROSS_ORIGIN_REQUEST', paymentId: payment.id });
          return htmlPage(
            'Refused',
            '<h1>Refused</h1><p>CROSS_ORIGIN_REQUEST: this page only takes its own form.</p>',
            { status: 403 },
          );
        }
        const form = new URLSearchParams(await request.text());
        const action = form.get('action') as DummyAction | null;
        const offered: readonly DummyAction[] = config.authorizeOnly
          ? ACTIONS
          : ACTIONS.filter((a) => a !== 'authorize');
        if (!action || !offered.includes(action))
          return htmlPage('Bad request', '<h1>Unknown action</h1>', { status: 400 });
        const body = JSON.stringify({
          paymentId: payment.id,
          action,
          eventId: randomId('dmy', 10),
          amount: payment.amount,
          currency: payment.currency,
          transaction: payment.externalId ?? payment.id,
        });
        await ctx.dispatchNotification(
          new Request(ctx.notifyUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-dummy-signature': await sign(body) },
            body,
          }),
        );
        return new Response(null, { status: 303, headers: { location: ctx.returnUrl(payment.id) } });
      }
      const amount = escapeHtml(displayMoney(payment.amount, payment.currency));
      const button = (action: DummyAction, label: string, primary = false) =>
        `<button name="action" value="${action}" type="submit"${primary ? ' class="primary"' : ''}>${label}</button>`;
      return htmlPage(
        'Dummy payment',
        `<h1>Dummy payment</h1><p>${escapeHtml(payment.description)}</p><p><strong>${amount}</strong></p>` +
          `<p>This is paybridge's built-in test broker: no money moves.</p>` +
          `<form method="post">${button('pay', 'Pay', true)}${config.authorizeOnly ? button('authorize', 'Authorize only') : ''}${button('pending', 'Leave pending')}${button('decline', 'Decline')}</form>`,
      );
    },

    setupInstructions(urls) {
      return {
        backend: 'dummy',
        displayName: 'Dummy',
        urls: [{ label: 'Hosted page', url: `${urls.baseUrl}/backend/dummy/pay/{paymentId}` }],
        steps: ['Nothing to configure: the dummy backend is served by the bridge itself.'],
        warnings: ['Never enable the dummy backend in production: anyone can mark their payment paid.'],
      };
    },
  } satisfies PaymentBackend;
}

/**
 * Whether a POST to the hosted page comes from another site's page (CSRF: anyone could otherwise mark
 * a payment paid from a form of their own). `Sec-Fetch-Site` decides when the browser sends it (it
 * still says same-origin under this page's `Referrer-Policy: no-referrer`, which turns Origin into
 * "null"); else the Origin must be the bridge's. A request with neither is no browser's (every browser
 * sends one of them on a POST): scripts and tests driving the page are left alone.
 */
function isCrossSite(request: Request, baseUrl: string): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site !== 'same-origin';
  const origin = request.headers.get('origin');
  return origin !== null && origin !== new URL(baseUrl).origin;
}
