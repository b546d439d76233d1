import * as z from '@paybridge/core/schema';
import { memoized } from './lib/memoized';

/** True for an absolute `http:`/`https:` URL with a host (what a broker endpoint override must be). */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/**
 * The `endpoint` setting every backend accepts (a local sandbox, a proxy): one rule for all of them,
 * so `localhost:4000/payu` or `ftp://…` is refused at construction, not at the first payment.
 * A getter (`z.optional(endpointUrlSchema())`): the schema is built on first use, not when the kit is
 * imported.
 */
export const endpointUrlSchema = memoized(() =>
  z.string().check(z.refine(isHttpUrl, 'must be an absolute http(s) URL, e.g. http://localhost:4010/payu')),
);
