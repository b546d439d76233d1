// A purchase end to end in one process: the bridge's outbound calls go to the simulator, the simulator's
// server-to-server calls go to the bridge, and the test plays the buyer.
import { cmcic } from '@paybridge/backend-cmcic';
import { createPaybridge, memoryStore, type Paybridge } from '@paybridge/core';
import { createSandbox, manualClock } from '@paybridge/sandbox';
import { expect, it } from 'vitest';

const TERMINAL = {
  tpe: '9000001',
  key: 'C0FFEE0123456789ABCDEF0123456789ABCDEF01',
  company: 'paybridgetest',
};

it('a paid CM-CIC payment becomes paid once the bank calls back', async () => {
  const clock = manualClock();
  let bridge: Paybridge | undefined;
  const sandbox = createSandbox({
    baseUrl: 'http://sandbox.test',
    clock,
    fetch: (request) => (bridge as Paybridge).handler(request),
  });
  // The bank's side of the terminal: the same key, and the return interface registered for it.
  sandbox.cmcic.addTpe({
    tpe: TERMINAL.tpe,
    key: TERMINAL.key,
    societe: TERMINAL.company,
    scheme: 'current',
    retourUrl: 'http://shop.test/payments/notify/cmcic',
  });

  bridge = createPaybridge({
    baseUrl: 'http://shop.test/payments',
    testMode: true,
    store: memoryStore(),
    backends: [cmcic({ ...TERMINAL, endpoint: 'http://sandbox.test/cmcic/test' })],
    orders: { resolve: (orderId) => ({ amount: 1250, currency: 'EUR', description: `Order ${orderId}` }) },
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
  });

  const { payment, redirect } = await bridge.startPayment({ backend: 'cmcic', orderId: 'book-1' });
  // The buyer's browser posts the sealed form to the bank's card page…
  const page = await sandbox.handler(
    new Request(redirect.url, {
      method: redirect.method,
      body: redirect.method === 'POST' ? new URLSearchParams(redirect.fields) : undefined,
    }),
  );
  // …pays with the accepted test card, and the bank calls the return interface.
  await sandbox.cmcic.act(page.headers.get('x-sandbox-session')!, 'pay', {
    card: '4000000000000002',
    cvv: '123',
  });
  await sandbox.flush();

  expect((await bridge.getPayment(payment.id))?.status).toBe('paid');
});
