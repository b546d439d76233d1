import { escapeHtml } from '@paybridge/core/kit';
import { CLIENT_ENTRY, clientBuilt } from '../static-assets';

const STYLE = `
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f7f8fa;--accent:#0b7a5a;--pb-accent:#0b7a5a;--pb-radius:8px}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--ink);background:var(--bg);line-height:1.45}
header{background:#fff;border-bottom:1px solid var(--line)}
header .bar{max-width:68rem;margin:0 auto;padding:.9rem 1.25rem;display:flex;align-items:center;gap:1.5rem}
header .brand{font-weight:700;font-size:1.15rem;color:var(--ink);text-decoration:none}
header nav a{color:var(--muted);text-decoration:none;margin-right:1rem}
header nav a:hover{color:var(--accent)}
header .note{margin-left:auto;font-size:.8rem;color:var(--muted);background:#fff4d6;border:1px solid #f0d78a;border-radius:999px;padding:.15rem .7rem}
main{max-width:68rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}
h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(19rem,1fr));gap:1.1rem}
.card{background:#fff;border:1px solid var(--line);border-radius:12px;padding:1.1rem 1.2rem;display:flex;flex-direction:column;gap:.5rem}
.card h2{margin:0;font-size:1.1rem}
.card .picture{width:3rem;height:3rem;border-radius:10px;color:#fff;font-weight:700;font-size:1.5rem;display:flex;align-items:center;justify-content:center}
.log{background:#fff;border:1px solid var(--line);border-radius:10px;margin-bottom:.6rem}
.log summary{cursor:pointer;padding:.5rem .8rem;display:flex;gap:.8rem;align-items:center;flex-wrap:wrap}
.log .cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem;padding:.2rem .8rem .8rem}
.log pre{max-width:none;background:#f7f8fa;padding:.5rem;border-radius:6px}
.card .price{font-weight:650;font-size:1.1rem}
.card .desc{color:var(--muted);margin:0;font-size:.92rem}
.split{border-top:1px dashed var(--line);padding-top:.7rem;margin-top:auto;font-size:.92rem;display:flex;flex-direction:column;gap:.5rem;align-items:flex-start}
.split p{margin:0}
.row{display:flex;align-items:center;gap:.5rem}
.card .only{margin:0;font-size:.92rem}
.card .pb-option{margin:0;color:var(--muted);font-size:.92rem}
a{color:var(--accent)}
.pb-payment-status p{margin:0}
.pb-state{display:flex;flex-direction:column;gap:.3rem}
.pb-state p:first-child{font-size:1.15rem;font-weight:600}
.pb-links:empty{display:none!important}
.panel{background:#fff;border:1px solid var(--line);border-radius:12px;padding:1rem 1.2rem;margin-bottom:1rem}
.panel>:first-child{margin-top:0}.panel>:last-child{margin-bottom:0}
button,.button{font:inherit;padding:.45rem .95rem;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent)}
select,input{font:inherit;padding:.35rem .5rem;border:1px solid #9aa5b1;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.88rem;background:#fff}
td,th{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600}
pre{white-space:pre-wrap;word-break:break-all;margin:0;font-size:.8rem;max-width:36rem}
.badge{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.8rem;font-weight:600;background:#e4e7eb}
.badge.paid,.badge.accepted,.badge.active{background:#d9f2e6;color:#0b5d41}
.badge.failed,.badge.expired,.badge.rejected,.badge.cancelled,.badge.suspended{background:#fde2e1;color:#9b1c1c}
td.nowrap{white-space:nowrap}
.badge.refunded,.badge.partially_refunded{background:#e8e2fd;color:#4c2a9e}
.badge.pending,.badge.authorized,.badge.new,.badge.partially_paid{background:#fff1cc;color:#7a5200}
.muted{color:var(--muted)}
.flash{padding:.6rem .9rem;border-radius:8px;margin-bottom:1rem}
.flash.ok{background:#d9f2e6}.flash.error{background:#fde2e1}
.actions form{display:inline-block;margin:0 .4rem .4rem 0}
.status{font-size:1.1rem}
`;

export function layout(title: string, body: string, options: { client?: boolean } = {}): string {
  const script =
    options.client && clientBuilt()
      ? `<script type="module" src="/${CLIENT_ENTRY}"></script>`
      : options.client
        ? '<p class="flash error">The browser bundle is missing: run <code>npm run build</code> in apps/demo.</p>'
        : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><div class="bar"><a class="brand" href="/">paybridge shop</a><nav><a href="/">Shop</a><a href="/admin">Admin</a></nav><span class="note">Demo — no real money moves</span></div></header>
<main>${body}</main>${script}</body></html>`;
}

export const errorPage = (message: string) =>
  layout(
    'Something went wrong',
    `<h1>Something went wrong</h1><p class="flash error">${escapeHtml(message)}</p><p><a href="/">Back to the shop</a></p>`,
  );

/** The broker's hosted page wants a POST: an auto-submitting form (with a button when scripts are off). */
export function autoSubmitPage(url: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return layout(
    'Redirecting…',
    `<form id="go" method="post" action="${escapeHtml(url)}">${inputs}<p>Taking you to the payment page…</p><button type="submit">Continue</button></form><script>document.getElementById('go').submit()</script>`,
  );
}
