import { isPaybridgeError, type Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { cmcic } from '../src/cmcic';
import { KEY, makeContext, makePayment } from './support/fixtures';

/** The current scheme's `contexte_commande` carries the buyer's billing address (protocols/cmcic.md §5.5). */
const backend = (settings: Partial<Parameters<typeof cmcic>[0]> = {}) =>
  cmcic({ tpe: '1234567', key: KEY, company: 'monSite1', ...settings });

async function contextOf(payment: Payment, settings: Partial<Parameters<typeof cmcic>[0]> = {}) {
  const { redirect } = await backend(settings).prepare(payment, makeContext([payment]));
  if (redirect.method !== 'POST') throw new Error('expected a form');
  const bytes = Uint8Array.from(atob(redirect.fields.contexte_commande ?? ''), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as { billing: Record<string, string> };
}

async function prepareError(payment: Payment, settings: Partial<Parameters<typeof cmcic>[0]> = {}) {
  const error = await backend(settings)
    .prepare(payment, makeContext([payment]))
    .then(
      () => null,
      (e: unknown) => e,
    );
  if (!isPaybridgeError(error)) throw new Error(`expected a PaybridgeError, got ${String(error)}`);
  return error;
}

describe('contexte_commande: the billing address from the buyer', () => {
  it('every address field, names and e-mail, the country in upper case (UTF-8 kept)', async () => {
    const payment = makePayment({
      buyer: {
        email: 'zoe@example.com',
        firstName: 'Zoë',
        lastName: 'Lefèvre',
        billingAddress: {
          line1: '3 place de l’Église',
          line2: 'Bâtiment B',
          city: 'Orléans',
          postalCode: '45000',
          country: 'fr',
          stateOrProvince: 'Centre-Val de Loire',
        },
      },
    });
    expect(await contextOf(payment)).toEqual({
      billing: {
        firstName: 'Zoë',
        lastName: 'Lefèvre',
        email: 'zoe@example.com',
        addressLine1: '3 place de l’Église',
        addressLine2: 'Bâtiment B',
        city: 'Orléans',
        postalCode: '45000',
        country: 'FR',
        stateOrProvince: 'Centre-Val de Loire',
      },
    });
  });

  it('prepare refuses a buyer without an address, naming every missing field (stable code and reason)', async () => {
    const error = await prepareError(makePayment({ buyer: { email: 'alice@example.com' } }));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({
      backend: 'cmcic',
      reason: 'BILLING_ADDRESS_REQUIRED',
      missing: [
        'buyer.billingAddress.line1',
        'buyer.billingAddress.city',
        'buyer.billingAddress.postalCode',
        'buyer.billingAddress.country',
      ],
      invalid: [],
    });
    expect(error.message).toMatch(/billing address is required.*line1.*city.*postalCode.*country/);
  });

  it('names only what is missing, and a country that is not ISO 3166-1 alpha-2', async () => {
    const partial = makePayment({
      buyer: { billingAddress: { line1: '1 rue Haute', city: ' ', postalCode: '67000', country: 'France' } },
    });
    const error = await prepareError(partial);
    expect(error.details).toMatchObject({
      missing: ['buyer.billingAddress.city'],
      invalid: ['buyer.billingAddress.country (ISO 3166-1 alpha-2)'],
    });
  });

  it('the order snapshot’s billing completes the buyer’s; a merchant context is the merchant’s to fill', async () => {
    const fromOrder = makePayment({
      buyer: { email: 'alice@example.com' },
      order: {
        billing: { addressLine1: '2 quai Kléber', city: 'Strasbourg', postalCode: '67000', country: 'FR' },
      },
    });
    expect((await contextOf(fromOrder)).billing).toMatchObject({
      city: 'Strasbourg',
      email: 'alice@example.com',
    });
    const noAddress = makePayment({ buyer: {} });
    expect(await contextOf(noAddress, { orderContext: () => ({ billing: { city: 'Lyon' } }) })).toEqual({
      billing: { city: 'Lyon' },
    });
    const snapshot = makePayment({ buyer: {}, order: { contexteCommande: { client: { email: 'a@b.fr' } } } });
    expect(await contextOf(snapshot)).toEqual({ client: { email: 'a@b.fr' } });
  });

  it('the legacy scheme has no contexte_commande and needs no address', async () => {
    const payment = makePayment({ buyer: {} });
    const { redirect } = await backend({ macScheme: 'legacy' }).prepare(payment, makeContext([payment]));
    expect(redirect.method === 'POST' && 'contexte_commande' in redirect.fields).toBe(false);
  });
});
