/** Test-only merchant used by the simulator's tests: builds signed Aller forms and answers returns. */
import { type CmcicSimulatorOptions, createSandbox, manualClock, type Sandbox } from '../index';
import { decodeForm } from './encoding';
import { operationalKey } from './key';
import { hmacSha1Hex, type MacScheme, macEquals, requestMacSource, returnMacSource } from './mac';

export const KEY = '12345678901234567890123456789012345678P0';
export const BASE = 'http://sandbox.test/sb';
export const SHOP = 'https://shop.example';

export interface ReceivedReturn {
  fields: Record<string, string>;
  body: string;
  macValid: boolean;
}

export interface TestMerchant {
  sandbox: Sandbox;
  received: ReceivedReturn[];
  /** What the merchant answers; default: the exact acknowledgement for the MAC check. */
  answer: (macValid: boolean, call: number) => { status: number; body: string };
  /** Called before answering (e.g. to wait on the abort signal). */
  beforeAnswer?: (request: Request) => Promise<void>;
  form(overrides?: Record<string, string | undefined>, scheme?: MacScheme): Record<string, string>;
  post(fields: Record<string, string>, test?: boolean, headers?: Record<string, string>): Promise<Response>;
}

export function requestDate(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

export function createTestMerchant(options: Omit<CmcicSimulatorOptions, 'tpes'> = {}): TestMerchant {
  const key = operationalKey(KEY);
  const schemes: Record<string, MacScheme> = { '1234567': 'legacy', '7654321': 'current' };
  const merchant: TestMerchant = {
    sandbox: undefined as unknown as Sandbox,
    received: [],
    answer: (macValid) => ({ status: 200, body: `version=2\ncdr=${macValid ? 0 : 1}\n` }),
    form(overrides = {}, scheme = 'legacy') {
      const base: Record<string, string | undefined> = {
        TPE: scheme === 'legacy' ? '1234567' : '7654321',
        date: requestDate(merchant.sandbox.clock.now()),
        montant: '62.73EUR',
        reference: 'REF0001',
        'texte-libre': 'ExempleTexteLibre',
        version: '3.0',
        lgue: 'FR',
        societe: 'monSite1',
        mail: 'internaute@sonemail.fr',
        url_retour_ok: `${SHOP}/ok?a=1&b=2`,
        url_retour_err: `${SHOP}/err`,
        ...(scheme === 'current' ? { contexte_commande: btoa('{"billing":{"city":"Paris"}}') } : {}),
        ...overrides,
      };
      const fields = Object.fromEntries(
        Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      const tpeScheme = schemes[fields.TPE ?? ''] ?? scheme;
      return { ...fields, MAC: hmacSha1Hex(key, requestMacSource(tpeScheme, fields)) };
    },
    post(fields, test = true, headers = {}) {
      return merchant.sandbox.handler(
        new Request(`${BASE}/cmcic${test ? '/test' : ''}/paiement.cgi`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(fields).toString(),
        }),
      );
    },
  };
  merchant.sandbox = createSandbox({
    baseUrl: BASE,
    clock: manualClock(),
    async fetch(request) {
      const body = await request.text();
      const { fields } = decodeForm(body);
      const scheme = schemes[fields.TPE ?? ''] ?? 'legacy';
      // Every received field but MAC, never a whitelist (reference §3.5, gotcha 4).
      const macValid = macEquals(hmacSha1Hex(key, returnMacSource(scheme, fields)), fields.MAC ?? '');
      merchant.received.push({ fields, body, macValid });
      await merchant.beforeAnswer?.(request);
      const { status, body: answer } = merchant.answer(macValid, merchant.received.length);
      return new Response(answer, { status, headers: { 'content-type': 'text/plain' } });
    },
    cmcic: {
      ...options,
      tpes: [
        { tpe: '1234567', key: KEY, societe: 'monSite1', scheme: 'legacy', retourUrl: `${SHOP}/cgi2` },
        {
          tpe: '7654321',
          key: KEY,
          societe: 'monSite1',
          scheme: 'current',
          retourUrl: `${SHOP}/cgi2-current`,
        },
      ],
    },
  });
  return merchant;
}
