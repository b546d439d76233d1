import type { Redirect } from '../types';
import { PaymentButtonError } from './api';

/**
 * Sends the browser to the broker: a GET redirect through `navigate`, or a hidden form POSTed as
 * the broker requires (PayPal, CM-CIC take the payment as form fields). The URL comes from our own
 * server, but a `javascript:` URL would run in the shop's origin, so only http(s) is followed.
 */
export function followRedirect(
  redirect: Redirect,
  navigate: (url: string) => void,
  doc: Document = document,
): HTMLFormElement | null {
  const url = new URL(redirect.url, doc.baseURI);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PaymentButtonError('BAD_RESPONSE', `Refusing to redirect to a ${url.protocol} URL`, 200);
  }
  if (redirect.method === 'GET') {
    navigate(url.href);
    return null;
  }
  const form = doc.createElement('form');
  form.method = 'post';
  form.action = url.href;
  form.hidden = true;
  form.acceptCharset = 'UTF-8';
  for (const [name, value] of Object.entries(redirect.fields)) {
    const input = doc.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  doc.body.appendChild(form);
  form.submit();
  return form;
}
