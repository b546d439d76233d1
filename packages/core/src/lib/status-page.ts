import type { Payment } from '../types';
import { escapeHtml, htmlPage } from './html';

/**
 * The script of the waiting page: polls the public status every 1.5 s (3 s after a failed request)
 * until it is settled. The URL goes in as a JSON string with `<` escaped, so no value can close the
 * script element.
 */
function pollScript(statusUrl: string): string {
  const url = JSON.stringify(statusUrl).replaceAll('<', '\\u003c');
  return (
    "<script>(function(){var el=document.getElementById('status');" +
    `function poll(){fetch(${url}).then(function(r){return r.json()}).then(function(s){` +
    "el.innerHTML='Status: <strong>'+s.status+'</strong>';if(!s.settled)setTimeout(poll,1500)})" +
    '.catch(function(){setTimeout(poll,3000)})}poll()})()</script>'
  );
}

/**
 * The bridge's own minimal page for a customer back from the broker when the merchant gave no
 * return URL: the status only (no amount, no personal data), kept up to date by polling.
 */
export function statusPage(payment: Payment, baseUrl: string): Response {
  const statusUrl = `${baseUrl}/status/${encodeURIComponent(payment.id)}`;
  const status = `<p role="status" aria-live="polite" id="status">Status: <strong>${escapeHtml(payment.status)}</strong></p>`;
  return htmlPage('Payment status', `<h1>Payment</h1>${status}${pollScript(statusUrl)}`);
}
