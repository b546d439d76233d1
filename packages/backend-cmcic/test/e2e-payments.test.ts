import { createPaybridge, memoryStore, type Paybridge, type PaybridgeEvents } from '@paybridge/core';
import { backendView } from '@paybridge/core/testing';
import { createSandbox, manualClock, type Sandbox } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { cmcic } from '../src/cmcic';
import type { CmcicReturnData } from '../src/lib/return-data';
import { formPost } from './support/fixtures';

// End to end through the CM-CIC simulator, in process: the bridge's fetch goes to the sandbox, the
// sandbox's return-interface calls go to the bridge, the "browser" is this test.
const BRIDGE = 'https://shop.example/pay';
const SANDBOX = 'https://sandbox.example';
const TPE = '1234567';
const KEY = '12345678901234567890123456789012345678P0';
const COMPANY = 'monSite1';
const CARDS = { accepted: '4000000000000002', refused: '4000000000000010', fraud: '4000000000000028' };
const OK_ACK = 'version=2\ncdr=0\n';

interface Harness {
  bridge: Paybridge;
  sandbox: Sandbox;
  processed: PaybridgeEvents['payment.processed'][];
  start(orderId: string): Promise<{ paymentId: string; url: string; fields: Record<string, string> }>;
  open(url: string, fields: Record<string, string>): Promise<{ response: Response; session: string | null }>;
}

function setup(
  scheme: 'current' | 'legacy',
  options: { backendKey?: string; live?: boolean; path?: string } = {},
): Harness {
  const clock = manualClock();
  let bridge: Paybridge | undefined;
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => (bridge as Paybridge).handler(request, { clientIp: '198.51.100.9' }),
  });
  sandbox.cmcic.addTpe({ tpe: TPE, key: KEY, societe: COMPANY, scheme, retourUrl: `${BRIDGE}/notify/cmcic` });
  bridge = createPaybridge({
    baseUrl: BRIDGE,
    testMode: !options.live,
    store: memoryStore(),
    backends: [
      cmcic({
        tpe: TPE,
        key: options.backendKey ?? KEY,
        company: COMPANY,
        macScheme: scheme,
        endpoint: `${SANDBOX}${options.path ?? '/cmcic/test'}`,
      }),
    ],
    orders: {
      resolve: (orderId) => ({
        amount: 1999,
        currency: 'EUR',
        description: `Order ${orderId} — café`,
        buyer: {
          email: 'alice@example.com',
          language: 'fr',
          customerId: 'alice42',
          billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
        },
        successUrl: 'https://shop.example/thanks',
        failureUrl: 'https://shop.example/sorry',
      }),
    },
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
  });
  const processed: PaybridgeEvents['payment.processed'][] = [];
  bridge.on('payment.processed', (event) => {
    processed.push(event);
  });
  const harness: Harness = {
    bridge,
    sandbox,
    processed,
    async start(orderId) {
      const response = await harness.bridge.handler(
        new Request(`${BRIDGE}/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ backend: 'cmcic', orderId }),
        }),
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        payment: { id: string };
        redirect: { method: string; url: string; fields: Record<string, string> };
      };
      expect(body.redirect.method).toBe('POST');
      return { paymentId: body.payment.id, url: body.redirect.url, fields: body.redirect.fields };
    },
    async open(url, fields) {
      const response = await sandbox.handler(formPost(url, new URLSearchParams(fields).toString()));
      return { response, session: response.headers.get('x-sandbox-session') };
    },
  };
  return harness;
}

async function paymentOf(h: Harness, id: string) {
  const payment = await h.bridge.getPayment(id);
  if (!payment) throw new Error(`no payment ${id}`);
  const own = backendView(payment, payment.backend).brokerData;
  return { payment, cmcic: own.cmcic as CmcicReturnData | undefined };
}

async function openPage(h: Harness, orderId: string) {
  const started = await h.start(orderId);
  const page = await h.open(started.url, started.fields);
  expect(page.session).toBeTruthy();
  return { ...started, session: page.session as string };
}

describe.each(['current', 'legacy'] as const)('CM-CIC end to end, %s MAC scheme', (scheme) => {
  it('pays: the form reaches the page, the return interface confirms, the browser return proves nothing', async () => {
    const h = setup(scheme);
    const { paymentId, session, url } = await openPage(h, 'order-paid');
    expect(url).toBe(`${SANDBOX}/cmcic/test/paiement.cgi`);
    const step = await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.accepted, cvv: '123' });
    expect(step).toMatchObject({ method: 'GET' });
    if (step.method !== 'GET') return;
    expect(step.url).toBe(`${BRIDGE}/return/cmcic/${paymentId}?result=ok`);

    // The buyer comes back before the bank's call: still not paid.
    const back = await h.bridge.handler(new Request(step.url));
    expect(back.status).toBeLessThan(500);
    expect((await paymentOf(h, paymentId)).payment.status).not.toBe('paid');

    await h.sandbox.flush();
    const { payment, cmcic: data } = await paymentOf(h, paymentId);
    expect(payment.status).toBe('paid');
    expect(payment.amountPaid).toBe(1999);
    expect(data?.codeRetour.toLowerCase()).toBe('payetest');
    const calls = h.sandbox.cmcic.returns();
    expect(JSON.stringify(calls)).toContain(JSON.stringify(OK_ACK).slice(1, -1));
  });

  it('refused then paid on retry: Annulation, then paiement for the same reference', async () => {
    const h = setup(scheme);
    const { paymentId, session } = await openPage(h, 'order-retry');
    const refused = await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.refused, cvv: '123' });
    expect(refused).toMatchObject({ method: 'GET' });
    await h.sandbox.flush();
    const first = await paymentOf(h, paymentId);
    // A refused attempt does not end the payment (binding): the buyer may try again.
    expect(first.payment.status).toBe('new');
    expect(first.cmcic?.codeRetour).toMatch(/^annulation$/i);

    h.sandbox.clock.advance(30_000);
    await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.accepted, cvv: '123' });
    await h.sandbox.flush();
    const second = await paymentOf(h, paymentId);
    expect(second.payment.status).toBe('paid');
    expect(second.payment.amountPaid).toBe(1999);
    expect(h.processed.filter((e) => e.payment.id === paymentId).map((e) => e.outcome)).toEqual([
      'applied',
      'applied',
    ]);
  });

  it('fraud-filtered: refused, with typed fraud screening on the payment and in payment.processed', async () => {
    const h = setup(scheme);
    const { paymentId, session } = await openPage(h, 'order-fraud');
    await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.fraud, cvv: '123' });
    await h.sandbox.flush();
    const { payment, cmcic: data } = await paymentOf(h, paymentId);
    expect(payment.status).toBe('new');
    expect(data?.fraud?.mode).toBe('blocked');
    expect(data?.fraud?.hits.length).toBeGreaterThan(0);
    for (const hit of data?.fraud?.hits ?? []) {
      expect(Number.isInteger(hit.code)).toBe(true);
      expect(hit.cause).not.toBe('unknown');
      expect(hit.meaning.length).toBeGreaterThan(0);
    }
    const event = h.processed.find((e) => e.payment.id === paymentId);
    expect(event).toBeDefined();
    const eventData = event && backendView(event.payment, event.backend).brokerData;
    expect((eventData?.cmcic as CmcicReturnData | undefined)?.fraud?.hits).toEqual(data?.fraud?.hits);
    if (scheme === 'legacy') expect(data?.unauthenticatedFields).toContain('filtragecause');
  });

  it('express payment: the second purchase needs only the CVV', async () => {
    const h = setup(scheme);
    const first = await openPage(h, 'order-express-1');
    await h.sandbox.cmcic.act(first.session, 'pay', { card: CARDS.accepted, cvv: '123', remember: true });
    await h.sandbox.flush();
    const one = await paymentOf(h, first.paymentId);
    expect(one.payment.status).toBe('paid');
    expect(one.cmcic?.express).toMatchObject({ alias: 'alice42', cardStored: true });
    expect(one.cmcic?.express.maskedCard).toMatch(/\*/);

    const second = await h.start('order-express-2');
    const page = await h.open(second.url, second.fields);
    const html = await page.response.text();
    expect(html).toContain(one.cmcic?.express.maskedCard as string);
    // The stored card cannot be used without its CVV: no attempt, no return call.
    const noCvv = await h.sandbox.cmcic.act(page.session as string, 'pay', {});
    expect(noCvv.method).toBe('NONE');
    await h.sandbox.cmcic.act(page.session as string, 'pay', { cvv: '123' });
    await h.sandbox.flush();
    const two = await paymentOf(h, second.paymentId);
    expect(two.payment.status).toBe('paid');
    expect(h.sandbox.cmcic.returns()).toHaveLength(2);
    // Paid with the card on file: nothing newly stored (cbenregistree=0), same masked card.
    expect(two.cmcic?.express).toMatchObject({ alias: 'alice42', cardStored: false });
    expect(two.cmcic?.express.maskedCard).toBe(one.cmcic?.express.maskedCard);
    expect(two.cmcic?.cvvEntered).toBe(true);
  });

  it('bad MAC from the bank: answered cdr=1, retried once, nothing changes', async () => {
    const h = setup(scheme);
    h.sandbox.cmcic.faults.badMac = true;
    const { paymentId, session } = await openPage(h, 'order-badmac-in');
    await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.accepted, cvv: '123' });
    await h.sandbox.advance(24 * 3600_000);
    expect((await paymentOf(h, paymentId)).payment.status).toBe('new');
    const text = JSON.stringify(h.sandbox.cmcic.returns());
    expect(text).toContain('version=2\\ncdr=1\\n');
    expect(text).not.toContain('version=2\\ncdr=0\\n');
    const messages = await h.bridge.store.listMessages({ backend: 'cmcic', direction: 'inbound' });
    const notifications = messages.items.filter((m) => m.kind === 'notification');
    expect(notifications).toHaveLength(2);
    expect(notifications.every((m) => m.verdict === 'rejected')).toBe(true);
    for (const message of messages.items) expect(JSON.stringify(message)).not.toContain(KEY);
  });

  it('bad MAC to the bank: a wrong key or a tampered amount gets the error page', async () => {
    const wrongKey = setup(scheme, { backendKey: `${'0'.repeat(38)}P0` });
    const started = await wrongKey.start('order-badmac-out');
    const page = await wrongKey.open(started.url, started.fields);
    expect(page.session).toBeNull();
    expect([200, 400]).toContain(page.response.status);
    expect(await page.response.text()).toContain('Signature non valide');

    const h = setup(scheme);
    const ok = await h.start('order-tampered');
    const tampered = await h.open(ok.url, { ...ok.fields, montant: '0.01EUR' });
    expect(tampered.session).toBeNull();
    expect([200, 400]).toContain(tampered.response.status);
    expect(await tampered.response.text()).toContain('Signature non valide');
    expect((await h.open(ok.url, ok.fields)).session).toBeTruthy();
  });

  it('a duplicated return call is a no-op', async () => {
    const h = setup(scheme);
    h.sandbox.cmcic.faults.duplicate = 1;
    const { paymentId, session } = await openPage(h, 'order-dup');
    await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.accepted, cvv: '123' });
    await h.sandbox.advance(3600_000);
    const { payment } = await paymentOf(h, paymentId);
    expect(payment.status).toBe('paid');
    expect(payment.amountPaid).toBe(1999);
    expect(h.processed.filter((e) => e.payment.id === paymentId).map((e) => e.outcome)).toEqual([
      'applied',
      'duplicate',
    ]);
  });

  it('an acknowledgement timeout makes the bank call again; the second call changes nothing', async () => {
    const h = setup(scheme);
    h.sandbox.cmcic.faults.ackTimeoutMs = 0;
    const { paymentId, session } = await openPage(h, 'order-timeout');
    await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.accepted, cvv: '123' });
    await h.sandbox.advance(24 * 3600_000);
    const [call] = h.sandbox.cmcic.returns();
    expect(call?.attempts.map((attempt) => attempt.body)).toEqual([OK_ACK, OK_ACK]);
    const { payment } = await paymentOf(h, paymentId);
    expect(payment.status).toBe('paid');
    expect(payment.amountPaid).toBe(1999);
    expect(h.processed.filter((e) => e.payment.id === paymentId).map((e) => e.outcome)).toEqual([
      'applied',
      'duplicate',
    ]);
  });
});

describe('CM-CIC end to end, live mode', () => {
  it('a live payment comes back as paiement and pays', async () => {
    const h = setup('current', { live: true, path: '/cmcic' });
    const { paymentId, session, url } = await openPage(h, 'order-live');
    expect(url).toBe(`${SANDBOX}/cmcic/paiement.cgi`);
    await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.accepted, cvv: '123' });
    await h.sandbox.flush();
    const { payment, cmcic: data } = await paymentOf(h, paymentId);
    expect(data?.codeRetour).toBe('paiement');
    expect(payment.status).toBe('paid');
  });

  it('payetest reaching a live backend is an anomaly, acknowledged but never paid', async () => {
    const h = setup('current', { live: true, path: '/cmcic/test' });
    const anomalies: string[] = [];
    h.bridge.on('payment.anomaly', (event) => {
      anomalies.push(event.anomaly.code);
    });
    const { paymentId, session } = await openPage(h, 'order-live-test');
    await h.sandbox.cmcic.act(session, 'pay', { card: CARDS.accepted, cvv: '123' });
    await h.sandbox.flush();
    expect((await paymentOf(h, paymentId)).payment.status).not.toBe('paid');
    expect(anomalies).toEqual(['ENVIRONMENT_MISMATCH']);
    const [call] = h.sandbox.cmcic.returns();
    expect(call?.attempts.map((attempt) => attempt.body)).toEqual([OK_ACK]);
  });
});
