import {
  type AckResponse,
  type BackendContext,
  type InboundMessage,
  type MissingCredentials,
  type NotificationOutcome,
  PaybridgeError,
  type Payment,
  type PaymentBackend,
  parseSettings,
  silentLogger,
} from '@paybridge/core';
import { CANCEL_PARAM, checkoutFields } from './lib/checkout-form';
import { PAYPAL_DEFAULT_CURRENCIES } from './lib/currencies';
import { decodeForm, FormDecodingError } from './lib/form-encoding';
import { ipnMessage } from './lib/ipn-message';
import { IPN_ACK, interpretIpn } from './lib/ipn-outcome';
import { POSTBACK_HOSTS, verifyIpn } from './lib/ipn-postback';
import { nvpUrl } from './lib/nvp-client';
import { cancelProfile, refundTransaction } from './lib/nvp-operations';
import { pullStatus } from './lib/nvp-status';
import { receiverIdentity } from './lib/receiver';
import { type PaypalSettings, paypalSettingsSchema } from './lib/settings';

export type { PaypalSettings } from './lib/settings';

/** The checkout hosts; the form target and the postback path below them is always `/cgi-bin/webscr` (§1). */
export const PAYPAL_ENDPOINTS = {
  live: 'https://www.paypal.com',
  test: 'https://www.sandbox.paypal.com',
} as const;

const WEBSCR = '/cgi-bin/webscr';
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** What `settings.api` (NVP API credentials, protocols/paypal-api.md) turns on. */
const MISSING_API_CREDENTIALS: MissingCredentials = {
  setting: 'api',
  message:
    'No PayPal API credentials (settings.api): no status pull (a lost IPN stays unknown, sweepExpired expires without asking PayPal), no refunds from the bridge, no server-side cancel of a subscription',
  operations: ['pull', 'refund', 'partialRefund'],
};

/** Answer for messages that are not IPNs at all; PayPal never sends these, so nothing is re-sent. */
const MALFORMED_ACK: AckResponse = { status: 400 };

/**
 * PayPal Payments Standard: Buy Now (`_xclick`) and Subscribe (`_xclick-subscriptions`) buttons,
 * confirmed by IPN verified with a byte-exact postback. Written from protocols/paypal.md.
 *
 * @example
 * paypal({ business: 'shop@example.com', receiverId: 'ABCDEFGHIJKLM' })
 */
export function paypal(input: PaypalSettings) {
  const settings = parseSettings('PayPal', paypalSettingsSchema, input);
  const receiver = receiverIdentity(settings);
  const currencies = settings.currencies ?? [...PAYPAL_DEFAULT_CURRENCIES];
  const reject = (code: 'MALFORMED_NOTIFICATION' | 'ENVIRONMENT_MISMATCH', message: string, ack = IPN_ACK) =>
    ({ verdict: 'rejected', code, message, ack }) satisfies NotificationOutcome;

  /** The postback goes to the host matching *our* configuration, never the message's `test_ipn` (§7.1). */
  const postbackUrl = (testMode: boolean, endpoint: string): string => {
    if (settings.postbackEndpoint) return trimSlash(settings.postbackEndpoint) + WEBSCR;
    if (settings.endpoint) return trimSlash(endpoint) + WEBSCR;
    return (testMode ? POSTBACK_HOSTS.test : POSTBACK_HOSTS.live) + WEBSCR;
  };

  const api = settings.api;
  const apiUrl = (ctx: BackendContext) => {
    if (!api) {
      throw new PaybridgeError(
        'CAPABILITY_NOT_SUPPORTED',
        `${settings.displayName} has no API credentials (settings.api): refund and cancel in PayPal's back office`,
      );
    }
    return { api, url: nvpUrl(api, ctx.testMode, settings.endpoint ? ctx.endpoint : undefined) };
  };
  /** Outside a bridge operation (cancelSubscription): PayPal's host (or `endpoint`), global fetch. */
  const standalone = (ctx: Partial<BackendContext> = {}): BackendContext => {
    const testMode = ctx.testMode ?? settings.testMode ?? false;
    return {
      testMode,
      endpoint: settings.endpoint
        ? trimSlash(settings.endpoint)
        : PAYPAL_ENDPOINTS[testMode ? 'test' : 'live'],
      baseUrl: '',
      notifyUrl: '',
      returnUrl: () => '',
      clientIp: null,
      fetch: (url, init) => fetch(url, init),
      now: () => new Date(),
      logger: silentLogger,
      ...ctx,
    };
  };

  const backend = {
    id: settings.id,
    displayName: settings.displayName,
    currencies,
    capabilities: {
      // Without API credentials refunds are made in PayPal's back office and arrive as IPNs.
      capture: false,
      cancel: false,
      refund: Boolean(api),
      partialRefund: Boolean(api),
      recurring: true,
      pull: Boolean(api),
    },
    // Without API credentials the bridge cannot ask PayPal anything: availableBackends says so.
    ...(api ? {} : { missingCredentials: [MISSING_API_CREDENTIALS] }),
    ...(settings.testMode === undefined ? {} : { testMode: settings.testMode }),
    endpoints: PAYPAL_ENDPOINTS,
    ...(settings.endpoint ? { endpoint: trimSlash(settings.endpoint) } : {}),
    // Standard buttons and IPN postbacks use no credentials; the API's password and signature are secret.
    secrets: api ? [api.password, ...(api.signature ? [api.signature] : [])] : [],

    // The redirect is computed here (a sealed form or a link): no call to the broker.
    prepareOffline: true,
    async prepare(payment, ctx) {
      if (!currencies.includes(payment.currency)) {
        throw new PaybridgeError(
          'UNSUPPORTED_CURRENCY',
          `${settings.displayName} does not take ${payment.currency}`,
          {
            details: { currency: payment.currency, backend: settings.id },
          },
        );
      }
      return {
        redirect: {
          method: 'POST',
          url: trimSlash(ctx.endpoint) + WEBSCR,
          fields: checkoutFields(payment, ctx, settings),
        },
      };
    },

    async handleNotification(message: InboundMessage, ctx) {
      // §11.1: a POST of form-urlencoded bytes, kept raw for the postback.
      if (message.method !== 'POST')
        return reject('MALFORMED_NOTIFICATION', 'IPN must be a POST', MALFORMED_ACK);
      const contentType = message.headers.get('content-type') ?? '';
      if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
        return reject('MALFORMED_NOTIFICATION', `IPN content type "${contentType}"`, MALFORMED_ACK);
      }
      if (message.body.length === 0) return reject('MALFORMED_NOTIFICATION', 'empty IPN', MALFORMED_ACK);
      let ipn: ReturnType<typeof ipnMessage>;
      try {
        const form = decodeForm(message.body);
        if (!form.charsetDeclared) ctx.logger.warn('paypal: IPN without charset, assumed windows-1252');
        ipn = ipnMessage(form);
      } catch (error) {
        if (!(error instanceof FormDecodingError)) throw error;
        return reject('MALFORMED_NOTIFICATION', `IPN not decodable: ${error.message}`, MALFORMED_ACK);
      }
      // §11.3: sandbox messages always carry test_ipn=1, live ones never do.
      // Present at all, even empty, is a sandbox message: live IPNs never carry the variable.
      const isTestMessage = ipn.pairs.some(([name]) => name === 'test_ipn');
      if (isTestMessage !== ctx.testMode) {
        return reject(
          'ENVIRONMENT_MISMATCH',
          isTestMessage
            ? 'sandbox IPN (test_ipn) sent to a live configuration'
            : 'live IPN sent to a test configuration',
        );
      }
      const postback = await verifyIpn(ctx.fetch, message.body, {
        url: postbackUrl(ctx.testMode, ctx.endpoint),
        userAgent: settings.userAgent,
        timeoutMs: settings.postbackTimeoutMs,
        attempts: settings.postbackAttempts,
        paymentId: ipn.get('invoice') ?? null,
      });
      if (postback.verdict === 'FAILED') {
        // Not INVALID: PayPal must re-send, so the pipeline answers non-200 (§7.1.4, django-paypal#144).
        return { verdict: 'retry', message: postback.reason } satisfies NotificationOutcome;
      }
      if (postback.verdict === 'INVALID') {
        return {
          verdict: 'rejected',
          code: 'VERIFICATION_FAILED',
          message: 'PayPal answered INVALID to the postback',
          ack: IPN_ACK,
        } satisfies NotificationOutcome;
      }
      return interpretIpn(ipn, ctx, { backendId: settings.id, receiver });
    },

    async handleReturn(message: InboundMessage, _payment: Payment, _ctx: BackendContext) {
      // rm=2 posts the payment's variables back through the browser: unauthenticated, never a fact (§4).
      const cancelled = new URL(message.url).searchParams.has(CANCEL_PARAM);
      return { hint: cancelled ? 'failure' : 'unknown' };
    },

    // A subscription's signup payment has no transaction of its own to look up (its money is the renewals).
    canPull: (payment: Payment) => Boolean(api) && (payment.externalId !== null || !payment.recurrence),

    async fetchStatus(payment: Payment, ctx: BackendContext) {
      const { api: credentials, url } = apiUrl(ctx);
      return pullStatus(payment, ctx, { api: credentials, url, receiver });
    },

    async refund(payment, request, ctx) {
      const { api: credentials, url } = apiUrl(ctx);
      return refundTransaction(payment, request, ctx, credentials, url);
    },

    setupInstructions(urls) {
      const warnings: string[] = [];
      if (!api) {
        warnings.push(
          'No API credentials (settings.api: API username, password and signature, Account Settings → API access): ' +
            'status pulls (reconciliation of a lost IPN), refunds from bridge.refund and subscription cancel ' +
            "are off; refunds are made in PayPal's back office and arrive by IPN.",
        );
      }
      if (!settings.receiverId) {
        warnings.push(
          'Set receiverId (your secure merchant account ID, Account Settings → Business information): ' +
            'IPNs are then checked against it rather than against an email.',
        );
      }
      if (settings.testMode === true)
        warnings.push('testMode is on: only sandbox IPNs (test_ipn=1) are accepted.');
      return {
        backend: settings.id,
        displayName: settings.displayName,
        urls: [
          { label: 'IPN notification URL (also sent as notify_url with every payment)', url: urls.notifyUrl },
          { label: 'Return URL (only if you turn Auto Return on)', url: urls.returnUrl },
        ],
        steps: [
          'Account Settings → Notifications → Instant payment notifications: turn IPN on and paste the IPN notification URL.',
          'Account Settings → Website payments → Website preferences: keep "Block non-encrypted website payments" off ' +
            '(paybridge sends plain button forms) and turn "Block accidental payments" on (one payment per invoice).',
          'PayPal button language encoding → More options: choose UTF-8 and "use the same encoding for data sent from ' +
            'PayPal" (windows-1252, the default, also works: the IPN is verified byte for byte).',
          `Check that the business email or merchant ID "${settings.business}" is confirmed, and that receiverEmails lists ` +
            "the account's primary email if it differs.",
          'Hold balances in every currency you sell in, or turn on automatic conversion: otherwise payments stay ' +
            'Pending (multi_currency) until you accept them.',
        ],
        warnings,
      };
    },
  } satisfies PaymentBackend;

  return {
    ...backend,
    /**
     * Cancel the payment's PayPal subscription now (ManageRecurringPaymentsProfileStatus; the bridge
     * has no subscription operation). Needs API credentials and an `I-` profile; the cancellation IPN
     * records it on the payment. Pass `ctx` (fetch, testMode) to route the call through your own transport.
     */
    cancelSubscription: async (payment: Payment, ctx?: Partial<BackendContext>, note?: string) => {
      const context = standalone(ctx);
      const { api: credentials, url } = apiUrl(context);
      return cancelProfile(payment, context, credentials, url, note);
    },
  };
}
