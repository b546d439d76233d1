import { storeInPreviousShape } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';
import { sandboxBridge } from './support/sandbox';

const TPE = '1234567';
const KEY = '12345678901234567890123456789012345678P0';
const SANDBOX = 'https://sandbox.example';

describe('a CM-CIC payment stored by paybridge 0.1 (bookkeeping flat in brokerData)', () => {
  it('its authorisation is captured; the record is written back under brokerData.cmcic', async () => {
    const { bridge, sandbox, clock, buy } = sandboxBridge({
      bridgeUrl: 'https://shop.example/pay',
      sandboxUrl: SANDBOX,
      tpes: [{ tpe: TPE, key: KEY, societe: 'monSite1', scheme: 'current', mode: 'deferred', refunds: true }],
      backends: [
        {
          tpe: TPE,
          key: KEY,
          company: 'monSite1',
          terminalMode: 'deferred',
          endpoint: `${SANDBOX}/cmcic/test`,
        },
      ],
      amount: 1999,
    });
    const id = await buy('previous-1', '4000000000000002');
    clock.advance(60_000);
    expect(await bridge.getPayment(id)).toMatchObject({ status: 'authorized' });
    const flat = await storeInPreviousShape(bridge.store, id);
    expect(Object.keys(flat).sort()).toEqual(['cmcic', 'cmcicRequest']);

    expect(await bridge.capture(id)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(sandbox.cmcic.payments()).toMatchObject([{ capturedMinor: 1999 }]);
    const stored = await bridge.store.getPayment(id);
    expect(stored?.brokerData).toEqual({ cmcic: { ...flat, cmcicCapture: expect.any(Object) } });
  });
});
