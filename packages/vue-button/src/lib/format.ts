const exponents = new Map<string, number>();

/**
 * A locale `Intl` accepts, from a configuration's `language`: `pl_PL` (Django, gettext) becomes
 * `pl-PL`; an empty or malformed tag becomes `en` instead of making `Intl` throw mid-render.
 */
export function safeLocale(language: string | undefined): string {
  const tag = (language ?? '').trim().replace(/_/g, '-');
  if (tag === '') return 'en';
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** ISO 4217 minor-unit exponent (EUR 2, JPY 0, KWD 3), as `Intl` knows it. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  let exponent = exponents.get(code);
  if (exponent === undefined) {
    exponent =
      new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    exponents.set(code, exponent);
  }
  return exponent;
}

/**
 * Formats integer minor units for display. The amount goes to `Intl` as a decimal string
 * (`"1999E-2"`), never divided as a float, so large amounts print exactly.
 */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const code = currency.toUpperCase();
  const exponent = currencyExponent(code);
  const decimal = `${minor}E-${exponent}` as Intl.StringNumericLiteral;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: code,
    minimumFractionDigits: exponent,
  }).format(decimal);
}
