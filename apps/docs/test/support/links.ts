/** Internal links of one built page: same-origin hrefs, resolved against the page, without assets. */
export function internalLinks(html: string, pageUrl: string, origin: string): URL[] {
  const links: URL[] = [];
  for (const match of html.matchAll(/<a\s[^>]*?href="([^"]+)"/g)) {
    const href = match[1]!.replaceAll('&amp;', '&');
    if (/^(mailto:|javascript:|data:)/.test(href)) continue;
    const url = new URL(href, pageUrl);
    if (url.origin === origin) links.push(url);
  }
  return links;
}

/** Whether the page has an element the fragment points to (VitePress gives headings ids). */
export function hasAnchor(html: string, fragment: string): boolean {
  if (fragment === '') return true;
  const id = decodeURIComponent(fragment);
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('&', '&(?:amp;)?');
  return new RegExp(`\\sid="${escaped}"`).test(html) || new RegExp(`\\sname="${escaped}"`).test(html);
}
