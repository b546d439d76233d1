import type { AckResponse, InboundMessage, NotificationContext, NotificationOutcome } from '@paybridge/core';
import { WEBSCR } from './checkout-form';
import { interpretIpn } from './facts';
import { decodeForm, FormDecodingError } from './form-encoding';
import { IPN_ACK } from './ipn-checks';
import { ipnMessage } from './ipn-message';
import { POSTBACK_HOSTS, verifyIpn } from './ipn-postback';
import type { ReceiverIdentity } from './receiver';
import type { PaypalSettings } from './settings';
import { namedPaymentId } from './unverified';

/** Answer for messages that are not IPNs at all; PayPal never sends these, so nothing is re-sent. */
const MALFORMED_ACK: AckResponse = { status: 400 };

const reject = (code: 'MALFORMED_NOTIFICATION' | 'ENVIRONMENT_MISMATCH', message: string, ack = IPN_ACK) =>
  ({ verdict: 'rejected', code, message, ack }) satisfies NotificationOutcome;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The postback goes to the host matching *our* configuration, never the message's `test_ipn` (§7.1). */
function postbackUrl(settings: PaypalSettings, testMode: boolean, endpoint: string): string {
  if (settings.postbackEndpoint) return trimSlash(settings.postbackEndpoint) + WEBSCR;
  if (settings.endpoint) return trimSlash(endpoint) + WEBSCR;
  return (testMode ? POSTBACK_HOSTS.test : POSTBACK_HOSTS.live) + WEBSCR;
}

export interface PaypalNotificationOptions {
  settings: PaypalSettings;
  receiver: ReceiverIdentity;
}

/**
 * An IPN, from its raw bytes: checked to be a form POST of this environment, verified by a byte-exact
 * postback to PayPal, then interpreted. Only a VERIFIED message reaches `interpretIpn`.
 */
export async function handlePaypalNotification(
  message: InboundMessage,
  ctx: NotificationContext,
  { settings, receiver }: PaypalNotificationOptions,
): Promise<NotificationOutcome> {
  // §11.1: a POST of form-urlencoded bytes, kept raw for the postback.
  if (message.method !== 'POST') return reject('MALFORMED_NOTIFICATION', 'IPN must be a POST', MALFORMED_ACK);
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
    url: postbackUrl(settings, ctx.testMode, ctx.endpoint),
    userAgent: settings.userAgent,
    timeoutMs: settings.postbackTimeoutMs,
    attempts: settings.postbackAttempts,
    paymentId: ipn.get('invoice') ?? null,
  });
  if (postback.verdict === 'FAILED') {
    // Not INVALID: PayPal must re-send, so the pipeline answers non-200 (§7.1.4, django-paypal#144).
    return { verdict: 'retry', message: postback.reason };
  }
  if (postback.verdict === 'INVALID') {
    // Named for the bridge's verify-or-pull: with API credentials it asks PayPal about that payment.
    const paymentId = await namedPaymentId(ipn, ctx, settings.id);
    return {
      verdict: 'rejected',
      code: 'VERIFICATION_FAILED',
      message: 'PayPal answered INVALID to the postback',
      ...(paymentId ? { paymentId } : {}),
      ack: IPN_ACK,
    };
  }
  return interpretIpn(ipn, ctx, { backendId: settings.id, receiver });
}
