import { readFileSync } from 'node:fs';
import { DEFAULT_CMCIC_TPES } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { sandboxBridge } from './support/sandbox';

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

async function buy(terminal: (typeof DEFAULT_CMCIC_TPES)[number], card: string) {
  const { bridge, buy: pay } = sandboxBridge({
    bridgeUrl: BRIDGE,
    sandboxUrl: SANDBOX,
    // As `paybridge-sandbox --cmcic-retour <url>` does at start-up.
    tpes: DEFAULT_CMCIC_TPES.map((tpe) => ({ ...tpe, retourUrl: `${BRIDGE}/notify/cmcic` })),
    backends: [
      {
        tpe: terminal.tpe,
        key: quoted('key')[0] as string,
        company: quoted('company')[0] as string,
        macScheme: terminal.scheme,
        endpoint: quoted('endpoint')[0] as string,
      },
    ],
    amount: 1250,
  });
  const id = await pay(`readme-${card}`, card);
  return (await bridge.getPayment(id))?.status;
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
