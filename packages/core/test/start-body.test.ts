import { describe, expect, it } from 'vitest';
import { dummy } from '../src/dummy-backend';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';
import { startBodySchema } from '../src/routes/start';

const BASE = 'https://shop.example/payments';

function bridge() {
  return createPaybridge({
    baseUrl: BASE,
    backends: [dummy({ signingKey: 'k'.repeat(32) })],
    logger: silentLogger,
    orders: { resolve: () => ({ amount: 1999, currency: 'EUR', description: 'A book' }) },
  });
}

interface StartAnswer {
  payment?: { amount: number };
  error?: { code: string; message: string };
}

async function start(body: string, contentType = 'application/json') {
  const response = await bridge().handler(
    new Request(`${BASE}/start`, {
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'application/json' },
      body,
    }),
  );
  return { status: response.status, body: (await response.json()) as StartAnswer };
}

describe('POST /start: the body schema', () => {
  it.each<[string, string, string]>([
    ['a JSON array', '[{"backend":"dummy","orderId":"o"}]', 'body must be an object'],
    ['JSON null', 'null', 'body must be an object'],
    ['a JSON string', '"dummy"', 'body must be an object'],
    ['no backend', '{"orderId":"o"}', 'backend is required'],
    ['an empty backend', '{"backend":"","orderId":"o"}', 'backend is required'],
    ['a backend that is not a string', '{"backend":["dummy"],"orderId":"o"}', 'backend is required'],
  ])('refuses %s with 400 BAD_REQUEST', async (_, body, message) => {
    const answer = await start(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'BAD_REQUEST', message } });
  });

  it('refuses a body that is not JSON (400) and a type that is neither JSON nor a form (415)', async () => {
    expect(await start('{"backend":')).toEqual({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: 'body is not valid JSON' } },
    });
    expect((await start('backend=dummy&orderId=o', 'text/plain')).body.error?.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('accepts the same body as JSON and as a form', async () => {
    const json = await start('{"backend":"dummy","orderId":"o"}');
    const form = await start('backend=dummy&orderId=o', 'application/x-www-form-urlencoded');
    expect(json.status).toBe(200);
    expect(form.status).toBe(200);
    expect(form.body.payment?.amount).toBe(json.body.payment?.amount);
  });

  it('reads only what it names, never an amount, and leaves fields of another type unread', () => {
    const parsed = startBodySchema().parse({
      backend: 'dummy',
      orderId: 'o',
      button: '',
      option: { id: 1 },
      amount: 1,
      currency: 'EUR',
    });
    expect(parsed).toEqual({ backend: 'dummy', orderId: 'o' });
    expect(startBodySchema().parse({ backend: 'dummy', button: 't', option: 2, orderId: 7 })).toEqual({
      backend: 'dummy',
      button: 't',
      option: 2,
    });
    expect(startBodySchema().parse({ backend: 'dummy', button: 't', option: 'year' }).option).toBe('year');
  });

  it('answers an amount sent by the browser with the order’s own', async () => {
    const answer = await start('{"backend":"dummy","orderId":"o","amount":1}');
    expect(answer.status).toBe(200);
    expect(answer.body.payment?.amount).toBe(1999);
  });
});
