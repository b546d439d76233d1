/** Fixtures shared by this package's unit tests (not part of the published entry point). */
import { type NotificationContext, type Payment, silentLogger } from '@paybridge/core';
import { type BindingFixture, makePayment as basePayment } from '@paybridge/core/testing';
import { formatMontant } from '../../src/lib/format';
import { computeMac, type MacScheme } from '../../src/lib/mac';

export const KEY = '12345678901234567890123456789012345678P0';

// The MoneticoDemoWebKit sample return (protocols/cmcic.md §4.2) with texte-libre=ExempleTexteLibre.
export const KIT_RETURN = {
  TPE: '1234567',
  date: '25/05/2020_a_14:31:27',
  montant: '123.45EUR',
  reference: 'ref143106',
  'texte-libre': 'ExempleTexteLibre',
  'code-retour': 'payetest',
  cvx: 'oui',
  vld: '1223',
  brand: 'VI',
  numauto: '000000',
  usage: 'inconnu',
  typecompte: 'particulier',
  ecard: 'non',
  originecb: 'FRA',
  bincb: '000001',
  hpancb: '6C0F3557D7297149ECCD58CBD6205273F0F3DA7A',
  ipclient: '127.0.0.1',
  originetr: 'ZZZ',
  modepaiement: 'CB',
  authentification:
    'ewogICAiZGV0YWlscyIgOiB7CiAgICAgICJQQVJlcyIgOiAiWSIsCiAgICAgICJWRVJlcyIgOiAiWSIsCiAgICAgICJzdGF0dXMzRFMiIDogMQogICB9LAogICAicHJvdG9jb2wiIDogIjNEU2VjdXJlIiwKICAgInN0YXR1cyIgOiAiYXV0aGVudGljYXRlZCIsCiAgICJ2ZXJzaW9uIiA6ICIxLjAuMiIKfQo=',
};

export function makePayment(overrides: Partial<Payment> = {}): Payment {
  return basePayment({
    id: 'pay_0123456789abcdefghjkmnpqrs',
    backend: 'cmcic',
    description: 'Commande n°1',
    buyer: {
      email: 'alice@example.com',
      language: 'en',
      customerId: 'client1',
      billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
    },
    order: {},
    successUrl: null,
    createdAt: '2024-01-15T10:00:00.000Z',
    updatedAt: '2024-01-15T10:00:00.000Z',
    expiresAt: null,
    ...overrides,
  });
}

export function makeContext(payments: Payment[], testMode = true): NotificationContext {
  return {
    testMode,
    endpoint: 'https://p.monetico-services.com/test',
    baseUrl: 'https://shop.example/pay',
    notifyUrl: 'https://shop.example/pay/notify/cmcic',
    returnUrl: (id, params) => `https://shop.example/pay/return/cmcic/${id}?${new URLSearchParams(params)}`,
    clientIp: null,
    fetch: () => Promise.reject(new Error('no network')),
    now: () => new Date('2024-01-15T10:00:00Z'),
    logger: silentLogger,
    getPayment: async (id) => payments.find((p) => p.id === id) ?? null,
    findPaymentByExternalId: async (ref) => payments.find((p) => p.externalId === ref) ?? null,
  };
}

// The bank's encoding style (doc v3.0 samples): lower-case %xx, `/ . _ :` escaped, space as `+`.
export function bankEncode(fields: Record<string, string>): Uint8Array {
  const enc = (text: string) =>
    encodeURIComponent(text)
      .replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())
      .replace(/[._]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
      .replace(/%20/g, '+');
  return new TextEncoder().encode(
    Object.entries(fields)
      .map(([k, v]) => `${k}=${enc(v)}`)
      .join('&'),
  );
}

export async function signedReturn(scheme: MacScheme, fields: Record<string, string>, key = KEY) {
  const mac = await computeMac(key, fields, { scheme, direction: 'return' });
  return bankEncode({ ...fields, MAC: mac.toUpperCase() });
}

/** A form POST as the bank (or the buyer's browser) sends it: the body as bytes or as encoded text. */
export function formPost(url: string, body: Uint8Array | string): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: typeof body === 'string' ? body : new TextDecoder().decode(body),
  });
}

export function inbound(body: Uint8Array) {
  return {
    method: 'POST',
    url: 'https://shop.example/pay/notify/cmcic',
    headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded' }),
    body,
    clientIp: '10.0.0.1',
    receivedAt: new Date(),
  };
}

/**
 * The sealed fields of one card attempt's return for a payment (accepted, `payetest`, unless
 * `fields` say otherwise), as the bank sends them.
 */
export function cardReturn(
  tpe: string,
  payment: Pick<Payment, 'amount' | 'currency' | 'externalId'>,
  fields: Record<string, string> = {},
): Record<string, string> {
  return {
    TPE: tpe,
    date: '15/01/2026_a_13:00:00',
    montant: formatMontant(payment.amount, payment.currency),
    reference: payment.externalId ?? '',
    'texte-libre': '',
    'code-retour': 'payetest',
    cvx: 'oui',
    vld: '1228',
    brand: 'VI',
    numauto: fields['code-retour'] === 'Annulation' ? '' : '000000',
    ...fields,
  };
}

/**
 * The binding fixture of the backend conformance kit (DESIGN §6) for one MAC scheme: genuine
 * returns sealed with the kit's key. `paid` is the attempt that pays the payment's reference;
 * `otherFailed` is another card attempt on the same reference (its own authorisation time) that
 * the bank refused.
 */
export function bindingFixture(scheme: MacScheme): BindingFixture {
  const settings = { tpe: '1234567', key: KEY, company: 'monSite1', macScheme: scheme };
  const returnFor = async (
    payment: Payment,
    notifyUrl: string,
    fields: { date: string; 'code-retour': string; motifrefus?: string },
  ) => formPost(notifyUrl, await signedReturn(scheme, cardReturn(settings.tpe, payment, fields)));
  return {
    settings,
    paid: (payment, notifyUrl) =>
      returnFor(payment, notifyUrl, { date: '15/01/2026_a_13:00:00', 'code-retour': 'payetest' }),
    otherFailed: (payment, notifyUrl) =>
      returnFor(payment, notifyUrl, {
        date: '15/01/2026_a_13:07:41',
        'code-retour': 'Annulation',
        motifrefus: 'Refus',
      }),
  };
}
