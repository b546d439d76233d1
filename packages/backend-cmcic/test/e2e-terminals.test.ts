import { backendView } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';
import { cardReturn, formPost, signedReturn } from './support/fixtures';
import { sandboxBridge } from './support/sandbox';

// Two terminals of one merchant in one bridge: each backend has its own id (so its own return
// interface, `/notify/<id>`), key and MAC scheme, and verifies only the returns sealed for it.
const BRIDGE = 'https://shop.example/pay';
const SANDBOX = 'https://sandbox.example';
const CARD_OK = '4000000000000002';
const PARIS = {
  id: 'cmcic-paris',
  displayName: 'Monetico Paris',
  tpe: '1234567',
  key: '12345678901234567890123456789012345678P0',
  company: 'paris1',
  scheme: 'current',
} as const;
const LYON = {
  id: 'cmcic-lyon',
  displayName: 'Monetico Lyon',
  tpe: '7654321',
  key: 'C0FFEE0123456789ABCDEF0123456789ABCDEF01',
  company: 'lyon1',
  scheme: 'legacy',
} as const;

function setup() {
  const terminals = [PARIS, LYON];
  return sandboxBridge({
    bridgeUrl: BRIDGE,
    sandboxUrl: SANDBOX,
    tpes: terminals.map((t) => ({ tpe: t.tpe, key: t.key, societe: t.company, scheme: t.scheme })),
    backends: terminals.map(({ scheme, ...t }) => ({
      ...t,
      macScheme: scheme,
      endpoint: `${SANDBOX}/cmcic/test`,
    })),
    amount: 2500,
  });
}

async function post(bridge: ReturnType<typeof setup>['bridge'], id: string, body: Uint8Array) {
  const response = await bridge.handler(formPost(`${BRIDGE}/notify/${id}`, body));
  return response.text();
}

describe('CM-CIC: two terminals in one bridge', () => {
  it('each terminal pays its own payments on its own return interface', async () => {
    const { bridge, sandbox, buy } = setup();
    const paris = await buy('order-paris', CARD_OK, PARIS.id);
    const lyon = await buy('order-lyon', CARD_OK, LYON.id);
    expect(await bridge.getPayment(paris)).toMatchObject({
      backend: PARIS.id,
      status: 'paid',
      amountPaid: 2500,
    });
    expect(await bridge.getPayment(lyon)).toMatchObject({
      backend: LYON.id,
      status: 'paid',
      amountPaid: 2500,
    });
    expect(sandbox.cmcic.returns().map((call) => [call.tpe, call.url, call.acknowledged])).toEqual([
      [PARIS.tpe, `${BRIDGE}/notify/${PARIS.id}`, true],
      [LYON.tpe, `${BRIDGE}/notify/${LYON.id}`, true],
    ]);
    const setupOf = bridge.setupInstructions();
    expect(setupOf.map((s) => [s.backend, s.displayName, s.urls[0]?.url])).toEqual([
      [PARIS.id, 'Monetico Paris', `${BRIDGE}/notify/${PARIS.id}`],
      [LYON.id, 'Monetico Lyon', `${BRIDGE}/notify/${LYON.id}`],
    ]);
  });

  it('a return sealed for one terminal is refused by the other, whose key and payments are its own', async () => {
    const { bridge } = setup();
    const { payment } = await bridge.startPayment({ backend: LYON.id, orderId: 'order-lyon' });
    const fields = cardReturn(LYON.tpe, payment);
    const lyonReturn = await signedReturn('legacy', fields, LYON.key);

    // Lyon's genuine return at Paris's interface: not Paris's MAC (cdr=1), nothing changes.
    expect(await post(bridge, PARIS.id, lyonReturn)).toBe('version=2\ncdr=1\n');
    // Sealed with Paris's key for Paris's terminal, naming Lyon's reference: not a Paris payment.
    const forged = await signedReturn('current', { ...fields, TPE: PARIS.tpe }, PARIS.key);
    expect(await post(bridge, PARIS.id, forged)).toBe('version=2\ncdr=0\n');
    const untouched = await bridge.getPayment(payment.id);
    expect(untouched).toMatchObject({ status: 'new', amountPaid: 0 });
    expect(untouched && backendView(untouched, untouched.backend).brokerData.cmcic).toBeUndefined();

    // At its own interface it pays.
    expect(await post(bridge, LYON.id, lyonReturn)).toBe('version=2\ncdr=0\n');
    expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'paid', amountPaid: 2500 });
  });
});
