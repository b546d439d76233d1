/**
 * The buyer's browser, reduced to what the sandbox's hosted pages need: read a page's forms and
 * submit one of them the way a browser does (its named fields, the clicked button's name and value,
 * the page's own Origin, no redirect followed). Nothing here knows a broker.
 */

export interface Page {
  url: string;
  status: number;
  html: string;
}

interface Control {
  tag: string;
  attrs: Record<string, string>;
}

interface Form {
  attrs: Record<string, string>;
  controls: Control[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? Number.parseInt(entity.slice(2), 16)
          : Number(entity.slice(1));
      return String.fromCodePoint(code);
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

function attributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of source.matchAll(
    /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g,
  )) {
    const name = (match[1] as string).toLowerCase();
    attrs[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attrs;
}

export function forms(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((match) => ({
    attrs: attributes(match[1] as string),
    controls: [...(match[2] as string).matchAll(/<(input|button|select|textarea)\b([^>]*)>/gi)].map(
      (control) => ({
        tag: (control[1] as string).toLowerCase(),
        attrs: attributes(control[2] as string),
      }),
    ),
  }));
}

export async function open(url: string, init: RequestInit = {}): Promise<Page> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  return { url: response.url || url, status: response.status, html: await response.text() };
}

/**
 * Click the button `name=value` of the page's form that has it (or the unnamed submit button of the
 * form that has the field `formWith`, as Stripe's Checkout card form), after typing `fill` into its
 * fields. Answers the response as the browser receives it (a 303 is not followed).
 */
export async function click(
  page: Page,
  button: { name: string; value: string } | { formWith: string },
  fill: Record<string, string> = {},
): Promise<Response> {
  const isButton = (c: Control) =>
    'name' in button &&
    (c.tag === 'button' || c.attrs.type === 'submit') &&
    c.attrs.name === button.name &&
    c.attrs.value === button.value;
  const form = forms(page.html).find((f) =>
    'formWith' in button
      ? f.controls.some((c) => c.attrs.name === button.formWith)
      : f.controls.some(isButton),
  );
  if (!form) {
    throw new Error(
      `no button ${JSON.stringify(button)} on ${page.url} (HTTP ${page.status}):\n${page.html.slice(0, 2000)}`,
    );
  }
  const body = new URLSearchParams();
  for (const control of form.controls) {
    const { name, type = 'text' } = control.attrs;
    if (!name || control.tag === 'button' || ['submit', 'button', 'reset', 'image'].includes(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && !('checked' in control.attrs)) continue;
    body.append(name, name in fill ? (fill[name] as string) : (control.attrs.value ?? ''));
  }
  for (const [name, value] of Object.entries(fill)) if (!body.has(name)) body.append(name, value);
  if ('name' in button) body.append(button.name, button.value);
  const action = new URL(form.attrs.action || page.url, page.url);
  const method = (form.attrs.method ?? 'get').toUpperCase();
  if (method !== 'POST')
    throw new Error(`form of ${page.url} is ${method}; only POST forms are clicked here`);
  return fetch(action, {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(page.url).origin },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
}
