import {
  type BackendContext,
  PaybridgeError,
  type Payment,
  type PaymentBackend,
  parseSettings,
  toBase64,
  utf8,
} from '@paybridge/core';
import {
  aliasFor,
  CMCIC_LANGUAGES,
  type CmcicLanguage,
  encodeTexteLibre,
  formatMontant,
  formatRequestDate,
  isSafeValue,
  referenceFor,
} from './lib/format';
import { cmcicKey, cmcicKeyHex } from './lib/key';
import { computeMac } from './lib/mac';
import { cancelPayment, capturePayment, type OperationsConfig, refundPayment } from './lib/operations';
import { handleReturnInterface } from './lib/return-interface';
import { type CmcicSettings, type ParsedCmcicSettings, settingsSchema } from './settings';

const DISPLAY_NAME = 'CM-CIC Paiement / Monetico';

/** Monetico's payment server; the test platform is the same host with `/test` before the CGI (§1). */
export const CMCIC_ENDPOINTS = {
  live: 'https://p.monetico-services.com',
  test: 'https://p.monetico-services.com/test',
} as const;

function languageOf(payment: Payment, fallback: CmcicLanguage): CmcicLanguage {
  const wanted = payment.buyer.language?.slice(0, 2).toUpperCase();
  return (CMCIC_LANGUAGES as readonly string[]).includes(wanted ?? '') ? (wanted as CmcicLanguage) : fallback;
}

async function aliasOf(payment: Payment, settings: ParsedCmcicSettings): Promise<string | null> {
  if (settings.alias === false) return null;
  const chosen = settings.alias
    ? settings.alias(payment)
    : typeof payment.order.aliascb === 'string'
      ? payment.order.aliascb
      : payment.buyer.customerId;
  return chosen ? aliasFor(chosen) : null;
}

function defaultOrderContext(payment: Payment): Record<string, unknown> {
  const given = payment.order.contexteCommande;
  if (typeof given === 'object' && given !== null) return given as Record<string, unknown>;
  const { email, firstName, lastName } = payment.buyer;
  const billing =
    typeof payment.order.billing === 'object' && payment.order.billing !== null ? payment.order.billing : {};
  return {
    billing: {
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
      ...(email ? { email } : {}),
      ...billing,
    },
  };
}

/**
 * CM-CIC Paiement / Monetico: the buyer's browser POSTs a sealed form to `paiement.cgi`; the bank
 * confirms every attempt server to server on the return interface registered for the terminal.
 */
export function cmcic(input: CmcicSettings) {
  const settings = parseSettings(DISPLAY_NAME, settingsSchema, input);
  if (settings.macScheme === 'legacy' && (settings.referenceLength ?? 12) > 12) {
    throw new PaybridgeError(
      'INVALID_CONFIG',
      `${DISPLAY_NAME}: referenceLength: at most 12 in the legacy scheme`,
      {
        details: {
          backend: DISPLAY_NAME,
          problems: [{ field: 'referenceLength', message: 'at most 12 in the legacy scheme' }],
        },
      },
    );
  }
  const keyHex = cmcicKeyHex(settings.key);
  const keyBytes = cmcicKey(settings.key);
  const scheme = settings.macScheme;
  const mode = settings.terminalMode;
  const operations: OperationsConfig = {
    tpe: settings.tpe,
    company: settings.company,
    language: settings.language,
    timeZone: settings.timeZone,
    keyBytes,
    scheme,
    mode,
  };

  async function buildForm(payment: Payment, ctx: BackendContext) {
    if (!settings.currencies.includes(payment.currency)) {
      throw new PaybridgeError(
        'UNSUPPORTED_CURRENCY',
        `${DISPLAY_NAME} is not configured for ${payment.currency}`,
        {
          details: { currency: payment.currency },
        },
      );
    }
    const reference = await referenceFor(payment.id, settings.referenceLength ?? 12);
    const alias = await aliasOf(payment, settings);
    const forceCardEntry = payment.order.forcesaisiecb === true || payment.order.forcesaisiecb === '1';
    const email = payment.buyer.email;
    // The MAC is computed over exactly these strings; the core HTML-escapes them when it renders
    // the auto-submitted form (never before: doc v3.0 §8.1).
    const fields: Record<string, string> = {
      TPE: settings.tpe,
      date: formatRequestDate(ctx.now(), settings.timeZone),
      montant: formatMontant(payment.amount, payment.currency),
      reference,
      'texte-libre': encodeTexteLibre(settings.freeText ? settings.freeText(payment) : payment.description),
      version: '3.0',
      lgue: languageOf(payment, settings.language),
      societe: settings.company,
      url_retour_ok: ctx.returnUrl(payment.id, { result: 'ok' }),
      url_retour_err: ctx.returnUrl(payment.id, { result: 'err' }),
    };
    if (email && isSafeValue(email, 255)) fields.mail = email;
    if (scheme === 'legacy') {
      // Legacy: express-payment options travel in one `options` field, the last MAC position.
      const options = [alias ? `aliascb=${alias}` : '', forceCardEntry ? 'forcesaisiecb=1' : '']
        .filter(Boolean)
        .join('&');
      fields.options = options;
      fields.url_retour = fields.url_retour_err as string;
    } else {
      if (alias) fields.aliascb = alias;
      if (forceCardEntry) fields.forcesaisiecb = '1';
      const context = settings.orderContext ? settings.orderContext(payment) : defaultOrderContext(payment);
      fields.contexte_commande = toBase64(utf8(JSON.stringify(context)));
    }
    fields.MAC = await computeMac(keyBytes, fields, { scheme, direction: 'request' });
    return { fields, reference, alias, forceCardEntry };
  }

  return {
    id: 'cmcic',
    displayName: DISPLAY_NAME,
    currencies: settings.currencies,
    // Capture and cancel exist only on terminals that authorise first; no status inquiry exists
    // (cmcic-api.md §6), so there is no pull.
    capabilities: {
      capture: mode !== 'immediate',
      cancel: mode !== 'immediate',
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: false,
      partialCapture: mode === 'partial',
    },
    testMode: settings.testMode,
    endpoints: CMCIC_ENDPOINTS,
    endpoint: settings.endpoint,
    secrets: [...new Set([settings.key, keyHex, keyHex.toUpperCase()])],

    // The redirect is computed here (a sealed form or a link): no call to the broker.
    prepareOffline: true,
    async prepare(payment, ctx) {
      const { fields, reference, alias, forceCardEntry } = await buildForm(payment, ctx);
      return {
        redirect: { method: 'POST', url: `${ctx.endpoint.replace(/\/+$/, '')}/paiement.cgi`, fields },
        externalId: reference,
        brokerData: {
          cmcicRequest: { reference, date: fields.date, alias, forceCardEntry, macScheme: scheme },
        },
      };
    },

    async handleNotification(message, ctx) {
      return handleReturnInterface(
        { tpe: settings.tpe, keyBytes, macScheme: scheme, authorizeOnly: mode !== 'immediate' },
        {
          method: message.method,
          url: message.url,
          body: message.body,
          testMode: ctx.testMode,
          findPaymentByExternalId: (reference) => ctx.findPaymentByExternalId(reference),
        },
      );
    },

    capture: (payment, amount, ctx) => capturePayment(payment, amount, ctx, operations),
    cancel: (payment, ctx) => cancelPayment(payment, ctx, operations),
    refund: (payment, request, ctx) => refundPayment(payment, request, ctx, operations),

    // The browser coming back proves nothing: only the return interface (server to server) does.
    async handleReturn(message) {
      const result = new URL(message.url).searchParams.get('result');
      return { hint: result === 'ok' ? 'success' : result === 'err' ? 'failure' : 'unknown' };
    },

    setupInstructions(urls) {
      const warnings: string[] = [];
      const notify = new URL(urls.notifyUrl);
      if (notify.protocol !== 'https:') warnings.push('The return interface URL is not HTTPS.');
      if (notify.port && notify.port !== '80' && notify.port !== '443') {
        warnings.push(`The bank only calls ports 80 and 443; this URL uses port ${notify.port}.`);
      }
      if (settings.testMode)
        warnings.push('Test mode: payments go to the test platform (code-retour payetest).');
      return {
        backend: 'cmcic',
        displayName: DISPLAY_NAME,
        urls: [
          {
            label: `Return interface URL (URL CGI2 / "URL de confirmation") of TPE ${settings.tpe}`,
            url: urls.notifyUrl,
          },
        ],
        steps: [
          `Ask the CM-CIC / Monetico support to register the return interface URL above for TPE ${settings.tpe} (it is not sent in the form).`,
          `Check with the bank which MAC scheme the terminal uses (configured here: ${scheme}).`,
          'Make test payments: the bank requires a valid acknowledgement for the last three before going live.',
          'Keep the server clock right: the bank refuses forms dated too far from its own time.',
          `Check the terminal's payment mode with the bank (configured here: terminalMode ${mode}): on a deferred or partial terminal a paid return only authorises, and bridge.capture collects.`,
          'For refunds in production, declare the server IP addresses (and a daily maximum of refunds per address) to the bank: refunds from other addresses fail with -30 "Commercant non identifie".',
        ],
        warnings,
      };
    },
  } satisfies PaymentBackend;
}
