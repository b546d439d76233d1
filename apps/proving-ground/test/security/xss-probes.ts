import { expect } from 'vitest';

/**
 * An XSS probe that breaks out of text, attribute (both quotes) and script contexts. Pages may show
 * it only escaped: the markup it carries must never appear as markup.
 */
export const PROBE = `"'></textarea></script><svg/onload=alert(1)><script>alert(1)</script><img src=x onerror=alert(1)>`;

/** The response renders no markup from the probe (and, with `reached`, shows the probe escaped). */
export async function expectInert(response: Response, options: { reached?: boolean } = {}) {
  const type = response.headers.get('content-type') ?? '';
  const body = await response.text();
  if (!/html/i.test(type)) {
    // Anything but HTML is not rendered as a page; a JSON error may quote the probe, as JSON.
    expect(type).toMatch(/^(application\/json|text\/plain)/);
    return body;
  }
  for (const markup of ['<svg', '<script>alert', '<img src=x', `"'>`, '</textarea>', 'onerror=alert(1)>']) {
    expect(body).not.toContain(markup);
  }
  if (options.reached) expect(body).toContain('alert(1)');
  return body;
}
