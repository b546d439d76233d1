import { createPaybridge, memoryStore, silentLogger } from '@paybridge/core';
import { createSandbox } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { payu } from '../src/payu';
import { POS, setup } from './support/e2e';
import { caught, fakePayu, makePayment, SETTINGS } from './support/fixtures';

/** A POS takes one currency (payu-recurring.md §7): `currency` is required and is all the backend offers. */
describe('payu() POS currency', () => {
  it('requires the POS currency and offers exactly it', () => {
    const { currency: _omitted, ...withoutCurrency } = SETTINGS;
    expect(() => payu(withoutCurrency as never)).toThrow(/PayU: currency: is required: the POS currency/);
    expect(() => payu({ ...SETTINGS, currency: 'pln' } as never)).toThrow(/PayU: currency/);
    expect(payu(SETTINGS).currencies).toEqual(['PLN']);
    expect(payu({ ...SETTINGS, currency: 'EUR' }).currencies).toEqual(['EUR']);
  });

  it('refuses the old `currencies` list with a message that says what to set instead', () => {
    expect(() => payu({ ...SETTINGS, currencies: ['PLN', 'EUR'] } as never)).toThrow(
      /PayU: currencies: is not a PayU setting: a POS takes one currency, set `currency`/,
    );
  });

  it('refuses to prepare a payment in another currency without calling PayU', async () => {
    const fake = fakePayu();
    const error = await caught(payu(SETTINGS).prepare(makePayment({ currency: 'EUR' }), fake.ctx));
    expect(error.code).toBe('UNSUPPORTED_CURRENCY');
    expect(error.status).toBe(422);
    expect(error.message).toBe('This PayU POS takes PLN only, not EUR: configure one backend per POS');
    expect(fake.calls).toHaveLength(0);
  });

  it('names the POS currency in the setup steps', () => {
    const setup = payu({ ...SETTINGS, currency: 'BGN' }).setupInstructions({
      baseUrl: 'https://shop.example/pay',
      notifyUrl: 'https://shop.example/pay/notify/payu',
      returnUrl: 'https://shop.example/pay/return/payu/{paymentId}',
    });
    expect(setup.steps.some((step) => step.includes('the POS currency in the panel is BGN'))).toBe(true);
  });
});

// PayU's public sandbox POSes (protocols/payu.md §1), one per currency, as the sandbox knows them.
const PLN_POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  currency: 'PLN' as const,
};
const BGN_POS = {
  posId: '404815',
  clientId: '404815',
  clientSecret: '89e263df5657cccfe7d1d2a0f50b6e41',
  secondKey: '87f410056e1ec5ff64f6bea777a0e694',
  currency: 'BGN' as const,
};

function twoPosShop() {
  const sandboxUrl = 'http://sandbox.test';
  const shop = 'https://shop.test/pay';
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: sandboxUrl,
    fetch: (request) => handle.bridge!.handler(request, { clientIp: '185.68.14.10' }),
  });
  const common = { endpoint: `${sandboxUrl}/payu`, testMode: true, fallbackCustomerIp: '127.0.0.1' };
  const bridge = createPaybridge({
    baseUrl: shop,
    store: memoryStore(),
    logger: silentLogger,
    backends: [
      payu({ ...PLN_POS, ...common }),
      payu({ ...BGN_POS, ...common, id: 'payu-bgn', displayName: 'PayU BGN' }),
    ],
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    orders: {
      // "pln-…" and "bgn-…" orders: the currency is the order's, the shop picks the POS.
      resolve: (orderId) => ({
        amount: 21000,
        currency: orderId.slice(0, 3).toUpperCase(),
        description: `Order ${orderId}`,
        buyer: { email: 'john.doe@example.com' },
      }),
    },
  });
  handle.bridge = bridge;
  return { bridge, sandbox, shop, sandboxUrl };
}

describe('several PayU POSes, one per currency', () => {
  it('are one line each: a currency is offered only by its own POS, EUR by none', () => {
    const { bridge } = twoPosShop();
    const ids = (currency: string) =>
      bridge.availableBackends({ currency }).available.map((backend) => backend.id);
    expect(ids('PLN')).toEqual(['payu']);
    expect(ids('BGN')).toEqual(['payu-bgn']);
    expect(ids('EUR')).toEqual([]);
    const eur = bridge.availableBackends({ currency: 'EUR' }).unavailable;
    expect(eur.map((entry) => [entry.id, entry.reasons.map((r) => r.code)])).toEqual([
      ['payu', ['CURRENCY']],
      ['payu-bgn', ['CURRENCY']],
    ]);
  });

  it.each([
    ['payu', 'pln-1', '300746', 'PLN'],
    ['payu-bgn', 'bgn-1', '404815', 'BGN'],
  ])(
    '%s pays through its own POS, its notifications verified with its own key',
    async (backend, orderId, posId, currency) => {
      const { bridge, sandbox, shop } = twoPosShop();
      const response = await bridge.handler(
        new Request(`${shop}/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ backend, orderId }),
        }),
      );
      expect(response.status).toBe(200);
      const { payment, redirect } = (await response.json()) as {
        payment: { id: string };
        redirect: { url: string };
      };
      const page = await sandbox.handler(new Request(redirect.url));
      const payuOrderId = page.headers.get('x-sandbox-session') as string;
      expect(sandbox.payu.orders().find((o) => o.id === payuOrderId)).toMatchObject({ posId, currency });
      await sandbox.payu.act(payuOrderId, 'pay');
      await sandbox.flush();
      expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'paid', currency, backend });
    },
  );

  it('a `currency` setting that is not the POS currency: PayU refuses the order, the error says what to fix', async () => {
    // The sandbox's POS 300746 is set up in EUR here while the backend says PLN.
    const t = setup({ simulator: { pos: [{ ...POS, currency: 'EUR' }] } });
    const response = await t.startResponse();
    expect(response.status).toBe(502);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('BROKER_ERROR');
    expect(error.message).toBe(
      'PayU could not create the order: ERROR_INCONSISTENT_CURRENCIES (Order and pos currencies are inconsistent)' +
        ' — the POS takes another currency: set `currency` to the POS currency shown in the PayU panel',
    );
    expect(t.sandbox.payu.orders()).toHaveLength(0);
  });

  it('the bridge refuses to start a payment in a currency the POS does not take; PayU is not called', async () => {
    const { bridge, sandbox, shop } = twoPosShop();
    const response = await bridge.handler(
      new Request(`${shop}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'payu', orderId: 'eur-1' }),
      }),
    );
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BACKEND_UNAVAILABLE');
    expect(sandbox.payu.orders()).toHaveLength(0);
  });
});
