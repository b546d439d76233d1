import { PaybridgeError, type Payment, type PostalAddress } from '@paybridge/core';

/**
 * The default `contexte_commande` of the current scheme (protocols/cmcic.md §5.5): `billing` from the
 * order's buyer (name, e-mail, billing address), then the order snapshot's own `billing` over it. An
 * order snapshot's whole `contexteCommande` replaces it.
 */
export function defaultOrderContext(payment: Payment): Record<string, unknown> {
  const given = payment.order.contexteCommande;
  if (typeof given === 'object' && given !== null) return given as Record<string, unknown>;
  const { email, firstName, lastName, billingAddress } = payment.buyer;
  const billing =
    typeof payment.order.billing === 'object' && payment.order.billing !== null ? payment.order.billing : {};
  return {
    billing: {
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
      ...(email ? { email } : {}),
      ...(billingAddress ? addressFields(billingAddress) : {}),
      ...billing,
    },
  };
}

function addressFields(address: Partial<PostalAddress>): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    addressLine1: address.line1,
    addressLine2: address.line2,
    addressLine3: address.line3,
    city: address.city,
    postalCode: address.postalCode,
    country: address.country?.toUpperCase(),
    stateOrProvince: address.stateOrProvince,
  };
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => Boolean(entry[1]?.trim())),
  );
}

/** `billing` keys the bank requires (§5.5), and the buyer field each comes from. */
const REQUIRED_BILLING = [
  ['addressLine1', 'line1'],
  ['city', 'city'],
  ['postalCode', 'postalCode'],
  ['country', 'country'],
] as const;

/**
 * The current scheme's `billing` must carry the address (§5.5): refused at `prepare`, naming what is
 * missing, rather than by the bank's payment page. Code `BACKEND_UNAVAILABLE` (this purchase cannot go
 * to CM-CIC as it is), `details.reason` `BILLING_ADDRESS_REQUIRED`, `details.missing` the buyer fields.
 */
export function assertBillingAddress(context: Record<string, unknown>, displayName: string): void {
  const billing =
    typeof context.billing === 'object' && context.billing !== null
      ? (context.billing as Record<string, unknown>)
      : {};
  const missing = REQUIRED_BILLING.filter(([key]) => {
    const value = billing[key];
    return typeof value !== 'string' || value.trim() === '';
  }).map(([, field]) => `buyer.billingAddress.${field}`);
  const country = billing.country;
  const invalid =
    typeof country === 'string' && country.trim() !== '' && !/^[A-Z]{2}$/.test(country)
      ? ['buyer.billingAddress.country (ISO 3166-1 alpha-2)']
      : [];
  if (missing.length === 0 && invalid.length === 0) return;
  const problems = [
    ...(missing.length ? [`missing ${missing.join(', ')}`] : []),
    ...(invalid.length ? [`invalid ${invalid.join(', ')}`] : []),
  ];
  throw new PaybridgeError(
    'BACKEND_UNAVAILABLE',
    `${displayName}: the billing address is required (contexte_commande): ${problems.join('; ')}`,
    { details: { backend: 'cmcic', reason: 'BILLING_ADDRESS_REQUIRED', missing, invalid } },
  );
}
