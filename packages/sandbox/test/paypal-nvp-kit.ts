/** Shared by the PayPal NVP API tests: calls to /paypal/nvp and payments made through the hosted page. */
import type { Sandbox } from '../src/index';
import { BASE_URL, openCheckout } from '../src/paypal/test-kit';

export const NVP = `${BASE_URL}/paypal/nvp`;
export const CERT_NVP = `${BASE_URL}/paypal/cert/nvp`;

/** The default test account's 3-token credentials, as a backend would send them. */
export const SIGNATURE_AUTH = {
  USER: 'merchant_api1.example.com',
  PWD: 'SANDBOX3TOKENPWD',
  SIGNATURE: 'AFcWxV21C7fd0v3bYYYRCpSSRl31A-sandbox-signature-0123456789',
  VERSION: '124.0',
};

export const CERT_AUTH = { USER: 'merchant-cert_api1.example.com', PWD: 'SANDBOXCERTPWD', VERSION: '124.0' };

export interface NvpAnswer {
  status: number;
  raw: string;
  fields: Record<string, string>;
}

/** POST an NVP request; the answer's fields decoded with a plain URL decoder, as clients do. */
export async function nvp(
  sandbox: Sandbox,
  fields: Record<string, string>,
  options: { url?: string; auth?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<NvpAnswer> {
  const response = await sandbox.handler(
    new Request(options.url ?? NVP, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...(options.auth ?? SIGNATURE_AUTH), ...fields }).toString(),
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  const raw = await response.text();
  return { status: response.status, raw, fields: Object.fromEntries(new URLSearchParams(raw)) };
}

/** Pay a button through the hosted page; returns the payment's txn_id. */
export async function pay(
  sandbox: Sandbox,
  vars: Record<string, string>,
  action: 'pay' | 'pending' = 'pay',
  pendingReason?: string,
): Promise<string> {
  const { sessionId } = await openCheckout(sandbox, vars);
  const before = new Set(sandbox.paypal.transactions().map((tx) => tx.txnId));
  await sandbox.paypal.act(sessionId, action, pendingReason ? { pendingReason } : {});
  const created = sandbox.paypal.transactions().find((tx) => !before.has(tx.txnId) && tx.kind === 'payment');
  if (!created) throw new Error('no payment was created');
  return created.txnId;
}
