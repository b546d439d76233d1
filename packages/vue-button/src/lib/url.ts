/**
 * An `href` safe to render: http(s) or relative. The URLs come from the shop's own configuration
 * and server, but a `javascript:` link would run in the shop's origin when clicked, so any other
 * scheme is dropped rather than rendered. Works during server rendering (no `document` there).
 */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const base = globalThis.document?.baseURI ?? 'https://ssr.invalid/';
    const { protocol } = new URL(href, base);
    return protocol === 'https:' || protocol === 'http:' ? href : null;
  } catch {
    return null;
  }
}
