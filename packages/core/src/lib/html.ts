import type { Redirect } from '../backend';

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}' +
  'button{font:inherit;padding:.6rem 1.2rem;margin:.25rem;border-radius:.4rem;border:1px solid #52606d;cursor:pointer}' +
  '.primary{background:#2251cc;color:#fff;border-color:#2251cc}';

export function htmlPage(title: string, body: string, init: ResponseInit = {}): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`;
  return new Response(html, {
    ...init,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      ...init.headers,
    },
  });
}

/** An auto-submitting POST form (with a button for browsers without JavaScript). */
export function autoSubmitForm(redirect: Extract<Redirect, { method: 'POST' }>): Response {
  const inputs = Object.entries(redirect.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return htmlPage(
    'Redirecting to payment…',
    `<form id="paybridge-redirect" method="post" action="${escapeHtml(redirect.url)}">${inputs}<p>Redirecting you to the payment page…</p><noscript><button class="primary" type="submit">Continue to payment</button></noscript></form><script>document.getElementById('paybridge-redirect').submit()</script>`,
  );
}
