import { backendView } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';
import type { TerminalMode } from '../src/lib/operations';
import { sandboxBridge } from './support/sandbox';

// Capture, cancel and recrédit end to end through the CM-CIC simulator's capture_paiement.cgi and
// recredit_paiement.cgi (written by the sandbox from the reference, independently of this backend).
const BRIDGE = 'https://shop.example/pay';
const SANDBOX = 'https://sandbox.example';
const TPE = '1234567';
const KEY = '12345678901234567890123456789012345678P0';
const CARD_OK = '4000000000000002';

function setup(scheme: 'current' | 'legacy', mode: TerminalMode, refunds = true) {
  const { bridge, sandbox, clock, buy } = sandboxBridge({
    bridgeUrl: BRIDGE,
    sandboxUrl: SANDBOX,
    tpes: [{ tpe: TPE, key: KEY, societe: 'monSite1', scheme, mode, refunds }],
    backends: [
      {
        tpe: TPE,
        key: KEY,
        company: 'monSite1',
        macScheme: scheme,
        terminalMode: mode,
        endpoint: `${SANDBOX}/cmcic/test`,
      },
    ],
    amount: 1999,
  });
  const pay = async (orderId: string) => {
    const id = await buy(orderId, CARD_OK);
    clock.advance(60_000);
    return id;
  };
  return { bridge, sandbox, pay };
}

describe.each(['current', 'legacy'] as const)('CM-CIC operations end to end, %s MAC scheme', (scheme) => {
  it('immediate terminal: partial then full refund through recredit_paiement.cgi', async () => {
    const { bridge, sandbox, pay } = setup(scheme, 'immediate');
    const id = await pay('refund-1');
    expect((await bridge.getPayment(id))?.status).toBe('paid');
    const partly = await bridge.refund(id, { amount: 500 });
    expect(partly).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    const all = await bridge.refund(id);
    expect(all).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    // The bank's own books agree, and every call was answered "done" (recrédit cdr=0).
    expect(sandbox.cmcic.payments()).toMatchObject([{ tpe: TPE, capturedMinor: 1999, refundedMinor: 1999 }]);
    expect(sandbox.cmcic.operations().map((op) => [op.kind, op.cdr, op.fields.montant_recredit])).toEqual([
      ['refund', 0, '5.00EUR'],
      ['refund', 0, '14.99EUR'],
    ]);
    await expect(bridge.capture(id)).rejects.toMatchObject({ code: 'CAPABILITY_NOT_SUPPORTED' });
  });

  it('deferred terminal: authorised by the return, captured later, then refunded', async () => {
    const { bridge, sandbox, pay } = setup(scheme, 'deferred');
    const id = await pay('deferred-1');
    expect(await bridge.getPayment(id)).toMatchObject({ status: 'authorized', amountAuthorized: 1999 });
    expect(sandbox.cmcic.payments()).toMatchObject([{ capturedMinor: 0 }]);
    const captured = await bridge.capture(id);
    expect(captured).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(await bridge.refund(id, { amount: 999 })).toMatchObject({ amountRefunded: 999 });
    expect(sandbox.cmcic.payments()).toMatchObject([{ capturedMinor: 1999, refundedMinor: 999 }]);
    expect(sandbox.cmcic.operations().map((op) => [op.kind, op.cdr])).toEqual([
      ['capture', 1],
      ['refund', 0],
    ]);
  });

  it('deferred terminal: cancel releases the authorisation; a second cancel is refused by the core', async () => {
    const { bridge, sandbox, pay } = setup(scheme, 'deferred');
    const id = await pay('cancel-1');
    const cancelled = await bridge.cancel(id);
    expect(cancelled).toMatchObject({ status: 'failed', amountAuthorized: 0, amountPaid: 0 });
    expect(sandbox.cmcic.payments()).toMatchObject([{ capturedMinor: 0, cancelled: true }]);
    await expect(bridge.capture(id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('partial terminal: captures part, the rest is released at the bank', async () => {
    const { bridge, sandbox, pay } = setup(scheme, 'partial');
    const id = await pay('partial-1');
    const captured = await bridge.capture(id, 1200);
    expect(captured).toMatchObject({ status: 'partially_paid', amountPaid: 1200 });
    expect(backendView(captured, captured.backend).brokerData.cmcicCapture).toMatchObject({
      amount: 1200,
      remainderReleased: true,
    });
    expect(sandbox.cmcic.payments()).toMatchObject([{ capturedMinor: 1200, cancelled: true }]);
    expect(await bridge.refund(id)).toMatchObject({ status: 'refunded', amountRefunded: 1200 });
    expect(sandbox.cmcic.operations().map((op) => [op.kind, op.cdr, op.lib])).toEqual([
      ['capture', 1, 'paiement accepte'],
      ['capture', 1, 'commande annulee'],
      ['refund', 0, 'recredit effectue'],
    ]);
  });

  it('a terminal not enabled for refunds: the bank refuses (-32), nothing is refunded, the amount is free again', async () => {
    const { bridge, sandbox, pay } = setup(scheme, 'immediate', false);
    const id = await pay('no-refunds-1');
    await expect(bridge.refund(id, { amount: 500 })).rejects.toMatchObject({
      code: 'BROKER_ERROR',
      message: expect.stringMatching(/cdr=-32/),
    });
    const payment = await bridge.getPayment(id);
    expect(payment).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(payment?.refunds.map((refund) => refund.status)).toEqual(['failed']);
    expect(sandbox.cmcic.payments()).toMatchObject([{ refundedMinor: 0 }]);
  });
});
