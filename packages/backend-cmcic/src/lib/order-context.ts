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
  // Built key by key (no spreads): this runs on every start.
  const billing: Record<string, unknown> = {};
  if (firstName) billing.firstName = firstName;
  if (lastName) billing.lastName = lastName;
  if (email) billing.email = email;
  if (billingAddress) addAddressFields(billing, billingAddress);
  const own = payment.order.billing;
  return { billing: typeof own === 'object' && own !== null ? { ...billing, ...own } : billing };
}

/** `billing`'s address keys (§5.5) and the buyer's address field each comes from, in the order sent. */
const ADDRESS_FIELDS = [
  ['addressLine1', 'line1'],
  ['addressLine2', 'line2'],
  ['addressLine3', 'line3'],
  ['city', 'city'],
  ['postalCode', 'postalCode'],
  ['country', 'country'],
  ['stateOrProvince', 'stateOrProvince'],
] as const;

/** The address's non-blank fields under their `billing` names; the country in upper case. */
function addAddressFields(billing: Record<string, unknown>, address: Partial<PostalAddress>): void {
  for (const [key, field] of ADDRESS_FIELDS) {
    const value = address[field];
    if (value?.trim()) billing[key] = field === 'country' ? value.toUpperCase() : value;
  }
}

/** `billing` keys the bank requires (§5.5), and the buyer field each comes from. */
const REQUIRED_KEYS: readonly string[] = ['addressLine1', 'city', 'postalCode', 'country'];
const REQUIRED_BILLING = ADDRESS_FIELDS.filter(([key]) => REQUIRED_KEYS.includes(key));

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
