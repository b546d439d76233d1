import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cmcic } from '@paybridge/backend-cmcic';
import {
  createPaybridge,
  memoryStore,
  type PaymentBackend,
  silentLogger,
  type TrustProxy,
} from '@paybridge/core';
import { createSandbox, DEFAULT_CMCIC_TPES } from '@paybridge/sandbox';
import { expect } from 'vitest';

const SANDBOX = 'http://127.0.0.1:4000';
const TPE = DEFAULT_CMCIC_TPES[0] as (typeof DEFAULT_CMCIC_TPES)[number];
export const CARD_OK = '4000000000000002';

/**
 * The CM-CIC sandbox in this process (its notifications go out over real HTTP, as a bank's do) and
 * a bridge paying through it, recording the client IP the bridge hands the backend.
 */
export function shop(options: { trustProxy?: TrustProxy; maxBodyBytes?: number; basePath?: string } = {}) {
  const sandbox = createSandbox({ baseUrl: SANDBOX, fetch: (request) => fetch(request) });
  const inner = cmcic({
    tpe: TPE.tpe,
    key: TPE.key,
    company: TPE.societe,
    macScheme: TPE.scheme,
    endpoint: `${SANDBOX}/cmcic/test`,
  });
  const clientIps: Array<string | null> = [];
  const backend = {
    ...inner,
    prepare: (payment, ctx) => {
      clientIps.push(ctx.clientIp);
      return inner.prepare(payment, ctx);
    },
  } satisfies PaymentBackend;
  const bridge = createPaybridge({
    testMode: true,
    store: memoryStore(),
    logger: silentLogger,
    backends: [backend],
    trustProxy: options.trustProxy ?? false,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.basePath === undefined ? {} : { basePath: options.basePath }),
    orders: {
      resolve: (orderId) => ({
        amount: 1250,
        currency: 'EUR',
        description: `Order ${orderId}`,
        buyer: {
          billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
        },
      }),
    },
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
  });
  /** Points the sandbox's terminal at the bridge once the server's address is known. */
  const connect = (base: string) => sandbox.cmcic.addTpe({ ...TPE, retourUrl: `${base}/notify/cmcic` });
  return { bridge, sandbox, clientIps, connect };
}

export async function origin(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startPayment(base: string, headers: Record<string, string> = {}, orderId = 'order-1') {
  return fetch(`${base}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ backend: 'cmcic', orderId }),
  });
}

export async function status(base: string, paymentId: string): Promise<string> {
  const response = await fetch(`${base}/status/${paymentId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { status: string }).status;
}

/**
 * One purchase over HTTP: the start through the framework, the customer's card on the sandbox's
 * page, the bank's notification back through the framework. Answers the payment's final status.
 */
export async function purchase(base: string, { sandbox }: ReturnType<typeof shop>): Promise<string> {
  const started = await startPayment(base);
  expect(started.status).toBe(200);
  const { payment, redirect } = (await started.json()) as {
    payment: { id: string; status: string };
    redirect: { url: string; method: string; fields: Record<string, string> };
  };
  expect(redirect.method).toBe('POST');
  const page = await sandbox.handler(
    new Request(redirect.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(redirect.fields).toString(),
    }),
  );
  expect(page.status).toBe(200);
  await sandbox.cmcic.act(page.headers.get('x-sandbox-session') as string, 'pay', {
    card: CARD_OK,
    cvv: '123',
  });
  await sandbox.flush();
  return status(base, payment.id);
}

/** A CM-CIC notification for `reference` whose MAC was not made with the terminal's key. */
export function forgedNotification(base: string, reference: string) {
  const fields = {
    TPE: TPE.tpe,
    date: '01/01/2026_a_12:00:00',
    montant: '12.50EUR',
    reference,
    'texte-libre': '',
    'code-retour': 'payetest',
    cvx: 'oui',
    vld: '1230',
    brand: 'VI',
    numauto: '000000',
    MAC: 'A'.repeat(40),
  };
  return fetch(`${base}/notify/cmcic`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}
