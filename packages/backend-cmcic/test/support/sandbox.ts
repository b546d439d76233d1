import { createPaybridge, memoryStore, type Paybridge } from '@paybridge/core';
import { type CmcicTpe, createSandbox, manualClock } from '@paybridge/sandbox';
import { cmcic } from '../../src/cmcic';
import type { CmcicOptions } from '../../src/lib/settings';
import { formPost } from './fixtures';

/**
 * A bridge (in-memory store) and the CM-CIC simulator wired to each other in process: the bridge's
 * fetch goes to the sandbox, the sandbox's return-interface calls go to the bridge, and the
 * "browser" is the test. Each terminal's return interface is registered at `<bridge>/notify/<id>`.
 */
export interface SandboxSetup {
  bridgeUrl: string;
  sandboxUrl: string;
  /** The bank's terminals; a missing `retourUrl` is the return interface of the backend with that TPE. */
  tpes: Array<Omit<CmcicTpe, 'retourUrl'> & { retourUrl?: string }>;
  backends: CmcicOptions[];
  amount: number;
}

export function sandboxBridge(setup: SandboxSetup) {
  const clock = manualClock();
  let bridge: Paybridge | undefined;
  const sandbox = createSandbox({
    baseUrl: setup.sandboxUrl,
    clock,
    fetch: (request) => (bridge as Paybridge).handler(request),
  });
  for (const tpe of setup.tpes) {
    const backend = setup.backends.find((options) => options.tpe === tpe.tpe);
    const retourUrl = tpe.retourUrl ?? `${setup.bridgeUrl}/notify/${backend?.id ?? 'cmcic'}`;
    sandbox.cmcic.addTpe({ ...tpe, retourUrl });
  }
  bridge = createPaybridge({
    baseUrl: setup.bridgeUrl,
    testMode: true,
    store: memoryStore(),
    backends: setup.backends.map((options) => cmcic(options)),
    orders: {
      resolve: (orderId) => ({
        amount: setup.amount,
        currency: 'EUR',
        description: `Order ${orderId}`,
        buyer: {
          billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
        },
      }),
    },
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
  });
  const ready = bridge;

  /** Start a payment, post its form to the card page and pay with `card` there; the bank then calls back. */
  async function buy(orderId: string, card: string, backend = 'cmcic'): Promise<string> {
    const { payment, redirect } = await ready.startPayment({ backend, orderId });
    if (redirect.method !== 'POST') throw new Error('expected a form');
    const page = await sandbox.handler(
      formPost(redirect.url, new URLSearchParams(redirect.fields).toString()),
    );
    const session = page.headers.get('x-sandbox-session');
    if (page.status !== 200 || !session) throw new Error(`the card page answered ${page.status}`);
    await sandbox.cmcic.act(session, 'pay', { card, cvv: '123' });
    await sandbox.flush();
    return payment.id;
  }

  return { bridge: ready, sandbox, clock, buy };
}
