/**
 * Where the sandbox may send its server-to-server calls (issue 14 item 7). The URLs of IPNs and PayU
 * notifications come from whoever builds the button or order, so without a list anyone who can reach
 * the sandbox could make it POST to any address its host can reach (SSRF).
 */
export interface DeliveryPolicy {
  /** Why a call to `url` is refused, or null when it may be delivered. */
  refusal(url: string): string | null;
  /** The prefixes in force, for start-up banners and introspection; null when every URL is handed to `fetch`. */
  readonly allowList: readonly string[] | null;
}

interface Prefix {
  protocol: string;
  host: string;
  path: string;
  text: string;
}

/** Parses an allow-list entry: an absolute http(s) URL without credentials, query or fragment. */
export function parseDeliveryPrefix(entry: string): Prefix {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new TypeError(`deliveryAllowList: "${entry}" is not an absolute URL (e.g. http://localhost:3000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`deliveryAllowList: "${entry}" must be an http:// or https:// URL`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(`deliveryAllowList: "${entry}" may not carry credentials, a query or a fragment`);
  }
  // `host` is normalised by the URL parser: lower case, default port dropped, IPv6 bracketed.
  return { protocol: url.protocol, host: url.host, path: url.pathname, text: `${url.origin}${url.pathname}` };
}

function matches(prefix: Prefix, url: URL): boolean {
  if (url.protocol !== prefix.protocol || url.host !== prefix.host) return false;
  if (prefix.path === '/' || url.pathname === prefix.path) return true;
  // A path prefix matches whole segments: /shop allows /shop and /shop/…, never /shopping.
  const base = prefix.path.endsWith('/') ? prefix.path : `${prefix.path}/`;
  return url.pathname.startsWith(base);
}

const HOW_TO_ALLOW =
  'add its origin to deliveryAllowList (createSandbox) or pass --allow-delivery <url> (paybridge-sandbox)';

/** `allowList` null: every URL goes to the owner's `fetch`, which decides where it really goes. */
export function deliveryPolicy(allowList: readonly string[] | null): DeliveryPolicy {
  const prefixes = allowList?.map(parseDeliveryPrefix) ?? null;
  return {
    allowList: prefixes?.map((prefix) => prefix.text) ?? null,
    refusal(target) {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        return `delivery refused: "${target.slice(0, 200)}" is not an absolute URL`;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return `delivery refused: ${url.protocol} URLs are never called`;
      }
      if (prefixes === null) return null;
      if (url.username || url.password) return 'delivery refused: the URL carries credentials';
      if (prefixes.some((prefix) => matches(prefix, url))) return null;
      const shown = `${url.origin}${url.pathname}`.slice(0, 200);
      return prefixes.length === 0
        ? `delivery refused: ${shown} — this sandbox delivers to no URL yet; ${HOW_TO_ALLOW}`
        : `delivery refused: ${shown} is not in this sandbox's delivery allow-list; ${HOW_TO_ALLOW}`;
    },
  };
}
