/** Where the bridge sends the customer: a GET link or an auto-submitted POST form. */
export type BrowserRedirect =
  | { method: 'GET'; url: string }
  | { method: 'POST'; url: string; fields: Record<string, string> };

/** The request the customer's browser makes to the broker's hosted page for a redirect. */
export function hostedPageRequest(redirect: BrowserRedirect): Request {
  return redirect.method === 'GET'
    ? new Request(redirect.url)
    : new Request(redirect.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(redirect.fields).toString(),
      });
}
