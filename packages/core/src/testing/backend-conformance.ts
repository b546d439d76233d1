import { describe, expect, it } from 'vitest';
import type { BackendContext, InboundMessage, NotificationContext, PaymentBackend } from '../backend';
import { isPaybridgeError } from '../errors';
import { silentLogger } from '../logger';
import type { Payment } from '../types';
import { type BindingFixture, checkBinding } from './binding-conformance';
import { makePayment } from './fixtures';

export interface BackendConformanceOptions {
  name: string;
  /** The backend's factory (e.g. `payu`). */
  factory: (settings: never) => PaymentBackend;
  /** Settings that must be accepted; every string value listed in `secretFields` must end up in `backend.secrets`. */
  validSettings: Record<string, unknown>;
  /** Settings that must be refused with INVALID_CONFIG naming the backend. */
  invalidSettings: Record<string, unknown>;
  /** Names of the secret settings (keys, client secrets). */
  secretFields?: string[];
  /** A currency the backend takes. */
  currency: string;
  amount?: number;
  /** How prepare reaches the broker (a sandbox's handler), when it calls out. */
  fetch?: (request: Request) => Promise<Response>;
  /** Broker base URL to use as the endpoint override (e.g. the sandbox's). */
  endpoint?: string;
  /**
   * The binding check (DESIGN §6): how to build genuine broker messages for a payment — one that
   * pays its own transaction, one about another transaction naming it that failed. With it, the
   * kit checks through a bridge that a genuine failure of another transaction can neither fail the
   * unpaid payment nor the paid one, nor rebind it. Every backend should supply it; without it the
   * two checks are reported as skipped. See `BindingFixture` for what each function must return.
   *
   * @example
   * runBackendConformance({
   *   name: 'mybroker', factory: mybroker, validSettings, invalidSettings, currency: 'EUR',
   *   binding: {
   *     settings: { ...validSettings, endpoint: 'http://broker.test' },
   *     fetch: (request) => brokerFake.handler(request), // postbacks / API calls, if any
   *     paid: (payment, notifyUrl) => signedNotification(notifyUrl, {
   *       reference: payment.id, transaction: payment.externalId ?? 'T-1', status: 'PAID', amount: payment.amount,
   *     }),
   *     otherFailed: (payment, notifyUrl) => signedNotification(notifyUrl, {
   *       reference: payment.id, transaction: 'T-OTHER', status: 'FAILED', amount: payment.amount,
   *     }),
   *   },
   * });
   */
  binding?: BindingFixture;
}

const BASE_URL = 'https://shop.example/payments';

function context(backend: PaymentBackend, options: BackendConformanceOptions): NotificationContext {
  const endpoint = (options.endpoint ?? backend.endpoint ?? backend.endpoints.test).replace(/\/+$/, '');
  const base: BackendContext = {
    testMode: true,
    endpoint,
    baseUrl: BASE_URL,
    notifyUrl: `${BASE_URL}/notify/${backend.id}`,
    returnUrl: (id) => `${BASE_URL}/return/${backend.id}/${id}`,
    clientIp: '203.0.113.7',
    fetch: async (url, init) => {
      if (!options.fetch) throw new Error(`${backend.id}: unexpected outbound call to ${url}`);
      return options.fetch(new Request(url, init));
    },
    now: () => new Date(),
    logger: silentLogger,
  };
  return { ...base, getPayment: async () => null, findPaymentByExternalId: async () => null };
}

function inbound(body: Uint8Array, headers: Record<string, string> = {}): InboundMessage {
  return {
    method: 'POST',
    url: `${BASE_URL}/notify/x`,
    headers: new Headers(headers),
    body,
    clientIp: '198.51.100.1',
    receivedAt: new Date(),
  };
}

/**
 * The contract every backend must honour, whatever its broker. Run it from a backend package's tests:
 * `runBackendConformance({ name: 'payu', factory: payu, validSettings, invalidSettings, currency: 'PLN' })`.
 */
export function runBackendConformance(options: BackendConformanceOptions): void {
  const create = (settings: Record<string, unknown>) => options.factory(settings as never);

  describe(`PaymentBackend conformance: ${options.name}`, () => {
    it('is a plain object with an id, a display name, endpoints and a capability manifest', () => {
      const backend = create(options.validSettings);
      expect(backend.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(backend.displayName.length).toBeGreaterThan(0);
      expect(new URL(backend.endpoints.live).protocol).toBe('https:');
      expect(new URL(backend.endpoints.test).protocol).toBe('https:');
      for (const key of ['capture', 'cancel', 'refund', 'partialRefund', 'recurring', 'pull'] as const) {
        expect(typeof backend.capabilities[key]).toBe('boolean');
      }
      if (backend.currencies !== null) {
        expect(backend.currencies.length).toBeGreaterThan(0);
        for (const currency of backend.currencies) expect(currency).toMatch(/^[A-Z]{3}$/);
        expect(backend.currencies).toContain(options.currency);
      }
    });

    it('has a method for every capability it declares', () => {
      const backend = create(options.validSettings);
      if (backend.capabilities.capture) expect(typeof backend.capture).toBe('function');
      if (backend.capabilities.cancel) expect(typeof backend.cancel).toBe('function');
      if (backend.capabilities.refund) expect(typeof backend.refund).toBe('function');
      if (backend.capabilities.pull) expect(typeof backend.fetchStatus).toBe('function');
      if (backend.capabilities.partialRefund) expect(backend.capabilities.refund).toBe(true);
    });

    it('refuses invalid settings at creation with INVALID_CONFIG naming the backend and the field', () => {
      let error: unknown;
      try {
        create(options.invalidSettings);
      } catch (e) {
        error = e;
      }
      expect(isPaybridgeError(error)).toBe(true);
      if (!isPaybridgeError(error)) return;
      expect(error.code).toBe('INVALID_CONFIG');
      const backendName = create(options.validSettings).displayName;
      expect(error.message).toContain(backendName);
      const problems = (error.details?.problems ?? []) as Array<{ field: string }>;
      expect(problems.length).toBeGreaterThan(0);
      for (const problem of problems) expect(problem.field.length).toBeGreaterThan(0);
    });

    it('lists every configured secret so it can be redacted', () => {
      const backend = create(options.validSettings);
      for (const field of options.secretFields ?? []) {
        const value = options.validSettings[field];
        expect(typeof value).toBe('string');
        expect(backend.secrets).toContain(value);
      }
    });

    it('honours the endpoint and testMode overrides', () => {
      const backend = create({
        ...options.validSettings,
        endpoint: 'http://127.0.0.1:9/broker',
        testMode: true,
      });
      expect(backend.endpoint).toBe('http://127.0.0.1:9/broker');
      expect(backend.testMode).toBe(true);
      expect(create({ ...options.validSettings, testMode: false }).testMode).toBe(false);
    });

    it('prepares a redirect for a supported currency without leaking secrets', async () => {
      const backend = create({
        ...options.validSettings,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      });
      const amount = options.amount ?? 1999;
      const payment: Payment = makePayment({
        backend: backend.id,
        currency: options.currency,
        amount,
        order: { reference: 'order-1', amount },
      });
      const prepared = await backend.prepare(payment, context(backend, options));
      expect(['GET', 'POST']).toContain(prepared.redirect.method);
      expect(() => new URL(prepared.redirect.url)).not.toThrow();
      const text = JSON.stringify(prepared);
      for (const secret of backend.secrets) expect(text).not.toContain(secret);
    });

    it('calls no one from prepare when it declares prepareOffline (it runs before the payment is stored)', async () => {
      const backend = create({
        ...options.validSettings,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      });
      if (!backend.prepareOffline) return;
      const amount = options.amount ?? 1999;
      const payment: Payment = makePayment({
        backend: backend.id,
        currency: options.currency,
        amount,
        order: { reference: 'order-1', amount },
      });
      const offline = async (url: unknown) => {
        throw new Error(`${backend.id}: prepareOffline, yet prepare called ${String(url)}`);
      };
      const realFetch = globalThis.fetch;
      globalThis.fetch = offline as typeof fetch;
      try {
        const prepared = await backend.prepare(payment, { ...context(backend, options), fetch: offline });
        expect(() => new URL(prepared.redirect.url)).not.toThrow();
      } finally {
        globalThis.fetch = realFetch;
      }
    });

    it('never throws on garbage notifications and never verifies them', async () => {
      const backend = create(options.validSettings);
      const ctx = context(backend, options);
      const bodies: Array<[Uint8Array, Record<string, string>]> = [
        [new Uint8Array(0), {}],
        [
          new TextEncoder().encode('{"order":{"orderId":"X","status":"COMPLETED"}}'),
          { 'content-type': 'application/json' },
        ],
        [
          new TextEncoder().encode('payment_status=Completed&txn_id=1&mc_gross=19.99'),
          { 'content-type': 'application/x-www-form-urlencoded' },
        ],
        [Uint8Array.from([0xff, 0xfe, 0x00, 0x80, 0x9f]), { 'content-type': 'application/octet-stream' }],
        [new TextEncoder().encode('x'.repeat(100_000)), {}],
      ];
      for (const [body, headers] of bodies) {
        const outcome = await backend
          .handleNotification(inbound(body, headers), ctx)
          .catch((error: unknown) => ({
            verdict: 'threw' as const,
            error,
          }));
        expect(outcome.verdict).not.toBe('threw');
        expect(outcome.verdict).not.toBe('verified');
        if (outcome.verdict === 'rejected') {
          expect(outcome.ack.status).toBeGreaterThanOrEqual(200);
          const text = JSON.stringify(outcome);
          for (const secret of backend.secrets) expect(text).not.toContain(secret);
        }
      }
    });

    const binding = options.binding;
    const bindingTest = binding ? it : it.skip;
    const bindingBackend = () => create({ ...(binding?.settings ?? options.validSettings) });
    for (const scenario of ['unpaid', 'paid'] as const) {
      bindingTest(
        `binding: a genuine failure of another transaction naming the ${scenario} payment cannot fail it${binding ? '' : ' (no binding fixture supplied)'}`,
        async () => {
          if (!binding) return;
          await checkBinding({
            backend: bindingBackend(),
            fixture: binding,
            currency: options.currency,
            amount: options.amount ?? 1999,
            scenario,
          });
        },
      );
    }

    it('gives setup instructions with the notification URL and no secrets', () => {
      const backend = create(options.validSettings);
      const instructions = backend.setupInstructions({
        baseUrl: BASE_URL,
        notifyUrl: `${BASE_URL}/notify/${backend.id}`,
        returnUrl: `${BASE_URL}/return/${backend.id}/{paymentId}`,
      });
      expect(instructions.backend).toBe(backend.id);
      expect(instructions.steps.length).toBeGreaterThan(0);
      const text = JSON.stringify(instructions);
      expect(text).toContain(BASE_URL);
      for (const secret of backend.secrets) expect(text).not.toContain(secret);
    });
  });
}
