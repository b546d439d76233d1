import type { PaypalSettings } from './settings';

/**
 * Who must have been paid. A VERIFIED IPN only proves PayPal sent it, not that the money reached us:
 * a buyer who edits `business` in the form pays someone else, and that payment's IPN still comes to
 * our notify_url and still verifies (the classic tampered-`business` attack, protocols/paypal.md §11.5).
 */
export interface ReceiverIdentity {
  ids: ReadonlySet<string>;
  emails: ReadonlySet<string>;
  /** The configured `business`, normalised: the last resort when no receiver field can be checked. */
  business: string;
}

const normalise = (value: string) => value.trim().toLowerCase();
const isEmail = (value: string) => value.includes('@');

export function receiverIdentity(settings: PaypalSettings): ReceiverIdentity {
  const ids = new Set<string>();
  if (settings.receiverId) ids.add(settings.receiverId.toUpperCase());
  // `business` may be the secure merchant account ID itself (§2).
  if (!isEmail(settings.business)) ids.add(settings.business.trim().toUpperCase());
  const emails = new Set<string>((settings.receiverEmails ?? []).map(normalise));
  // receiver_email is the account's *primary* email (§8.1): `business` stands in for it only when
  // nothing stronger was configured, otherwise a merchant paying to a secondary email would see
  // every genuine IPN refused.
  if (emails.size === 0 && ids.size === 0 && isEmail(settings.business))
    emails.add(normalise(settings.business));
  return { ids, emails, business: normalise(settings.business) };
}

export interface ReceiverFields {
  receiver_id?: string | undefined;
  receiver_email?: string | undefined;
  business?: string | undefined;
}

/**
 * Every receiver field we can check must match, and at least one must be checked. The IPN's
 * `business` (the account the form named, lower-cased by PayPal) is consulted only when no receiver
 * field could be checked — some subscription IPNs carry `receiver_email` but no `receiver_id`.
 */
export function checkReceiver(
  identity: ReceiverIdentity,
  fields: ReceiverFields,
): { ok: true } | { ok: false; reason: string } {
  let checked = 0;
  if (fields.receiver_id && identity.ids.size > 0) {
    checked++;
    if (!identity.ids.has(fields.receiver_id.trim().toUpperCase())) {
      return { ok: false, reason: `receiver_id ${fields.receiver_id} is not this account` };
    }
  }
  if (fields.receiver_email && identity.emails.size > 0) {
    checked++;
    if (!identity.emails.has(normalise(fields.receiver_email))) {
      return { ok: false, reason: `receiver_email ${fields.receiver_email} is not this account` };
    }
  }
  if (checked > 0) return { ok: true };
  if (fields.business) {
    const business = normalise(fields.business);
    if (
      business === identity.business ||
      identity.emails.has(business) ||
      identity.ids.has(business.toUpperCase())
    ) {
      return { ok: true };
    }
    return { ok: false, reason: `business ${fields.business} is not this account` };
  }
  return { ok: false, reason: 'the message names no receiver this configuration can check' };
}
