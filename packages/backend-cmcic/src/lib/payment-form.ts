import { type BackendContext, PaybridgeError, type Payment, type PrepareResult } from '@paybridge/core';
import { toBase64, utf8 } from '@paybridge/core/kit';
import {
  aliasFor,
  CMCIC_LANGUAGES,
  type CmcicLanguage,
  encodeTexteLibre,
  formatMontant,
  formatRequestDate,
  isSafeValue,
  referenceFor,
} from './format';
import { computeMac } from './mac';
import { assertBillingAddress, defaultOrderContext } from './order-context';
import type { CmcicSettings } from './settings';

export interface FormConfig {
  displayName: string;
  settings: CmcicSettings;
  keyBytes: Uint8Array;
}

function languageOf(payment: Payment, fallback: CmcicLanguage): CmcicLanguage {
  const wanted = payment.buyer.language?.slice(0, 2).toUpperCase();
  return (CMCIC_LANGUAGES as readonly string[]).includes(wanted ?? '') ? (wanted as CmcicLanguage) : fallback;
}

async function aliasOf(payment: Payment, settings: CmcicSettings): Promise<string | null> {
  if (settings.alias === false) return null;
  const chosen = settings.alias
    ? settings.alias(payment)
    : typeof payment.order.aliascb === 'string'
      ? payment.order.aliascb
      : payment.buyer.customerId;
  return chosen ? aliasFor(chosen) : null;
}

/** The sealed form the buyer's browser posts to `paiement.cgi` (protocols/cmcic.md §3). */
async function buildForm(payment: Payment, ctx: BackendContext, config: FormConfig) {
  const { settings, keyBytes } = config;
  const scheme = settings.macScheme;
  if (!settings.currencies.includes(payment.currency)) {
    throw new PaybridgeError(
      'UNSUPPORTED_CURRENCY',
      `${config.displayName} is not configured for ${payment.currency}`,
      { details: { currency: payment.currency } },
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
    let context: Record<string, unknown>;
    if (settings.orderContext) context = settings.orderContext(payment);
    else {
      context = defaultOrderContext(payment);
      // The merchant's own context (settings or order snapshot) is the merchant's to fill.
      const given = payment.order.contexteCommande;
      if (typeof given !== 'object' || given === null) assertBillingAddress(context, config.displayName);
    }
    fields.contexte_commande = toBase64(utf8(JSON.stringify(context)));
  }
  fields.MAC = await computeMac(keyBytes, fields, { scheme, direction: 'request' });
  return { fields, reference, alias, forceCardEntry };
}

/** `prepare`: the redirect is computed here (a sealed form), with no call to the bank. */
export async function preparePaymentForm(
  payment: Payment,
  ctx: BackendContext,
  config: FormConfig,
): Promise<PrepareResult> {
  const { fields, reference, alias, forceCardEntry } = await buildForm(payment, ctx, config);
  return {
    redirect: { method: 'POST', url: `${ctx.endpoint.replace(/\/+$/, '')}/paiement.cgi`, fields },
    externalId: reference,
    brokerData: {
      cmcicRequest: {
        reference,
        date: fields.date,
        alias,
        forceCardEntry,
        macScheme: config.settings.macScheme,
      },
    },
  };
}
