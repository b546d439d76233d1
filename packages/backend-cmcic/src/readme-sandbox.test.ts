import { readFileSync } from 'node:fs';
import { createPaybridge, memoryStore, type Paybridge } from '@paybridge/core';
import { createSandbox, DEFAULT_CMCIC_TPES, manualClock } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { cmcic } from './cmcic';

// The README's "Try it against the local sandbox" section: its values are the sandbox's default
// test terminals (never invented here), and a purchase with them goes through end to end.
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const SANDBOX = 'http://127.0.0.1:4000';
const BRIDGE = 'http://localhost:3000/payments';
const CARD_OK = '4000000000000002';
const CARD_REFUSED = '4000000000000010';

function quoted(name: string): string[] {
  return [...README.matchAll(new RegExp(`${name}: '([^']+)'`, 'g'))].map((match) => match[1] as string);
}

function setup(terminal: (typeof DEFAULT_CMCIC_TPES)[number]) {
  const clock = manualClock();
  let bridge: Paybridge | undefined;
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => (bridge as Paybridge).handler(request),
  });
  // As `paybridge-sandbox --cmcic-retour <url>` does at start-up.
  for (const tpe of DEFAULT_CMCIC_TPES) sandbox.cmcic.addTpe({ ...tpe, retourUrl: `${BRIDGE}/notify/cmcic` });
  bridge = createPaybridge({
    baseUrl: BRIDGE,
    testMode: true,
    store: memoryStore(),
    backends: [
      cmcic({
        tpe: terminal.tpe,
        key: quoted('key')[0] as string,
        company: quoted('company')[0] as string,
        macScheme: terminal.scheme,
        endpoint: quoted('endpoint')[0] as string,
      }),
    ],
    orders: { resolve: (orderId) => ({ amount: 1250, currency: 'EUR', description: `Order ${orderId}` }) },
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
  });
  return { bridge, sandbox };
}

async function buy(terminal: (typeof DEFAULT_CMCIC_TPES)[number], card: string) {
  const { bridge, sandbox } = setup(terminal);
  const { payment, redirect } = await bridge.startPayment({ backend: 'cmcic', orderId: `readme-${card}` });
  if (redirect.method !== 'POST') throw new Error('expected a form');
  const page = await sandbox.handler(
    new Request(redirect.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(redirect.fields).toString(),
    }),
  );
  expect(page.status).toBe(200);
  const session = page.headers.get('x-sandbox-session') as string;
  await sandbox.cmcic.act(session, 'pay', { card, cvv: '123' });
  await sandbox.flush();
  return (await bridge.getPayment(payment.id))?.status;
}

describe('README: CM-CIC against the local sandbox', () => {
  it("uses the sandbox's default test terminals, key and company, not invented ones", () => {
    expect(quoted('tpe')).toContain('9000001');
    expect(README).toContain("'9000002' with macScheme: 'legacy'");
    for (const terminal of DEFAULT_CMCIC_TPES) {
      expect(README).toContain(terminal.tpe);
      expect(quoted('key')).toContain(terminal.key);
      expect(quoted('company')).toContain(terminal.societe);
    }
    expect(DEFAULT_CMCIC_TPES.map((t) => [t.tpe, t.scheme])).toEqual([
      ['9000001', 'current'],
      ['9000002', 'legacy'],
    ]);
    expect(README).toContain(`pay with \`${CARD_OK}\``);
    expect(README).toContain(`\`${CARD_REFUSED}\` to be refused`);
  });

  for (const terminal of DEFAULT_CMCIC_TPES) {
    it(`pays with the README's card on TPE ${terminal.tpe} (${terminal.scheme} scheme); the refused card leaves it payable`, async () => {
      expect(await buy(terminal, CARD_OK)).toBe('paid');
      expect(await buy(terminal, CARD_REFUSED)).toBe('new');
    });
  }
});
