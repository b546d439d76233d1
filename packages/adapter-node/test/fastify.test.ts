import { createServer, type Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { toNodeHandler } from '../src/index';
import { forgedNotification, origin, purchase, shop, startPayment, status } from './support';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serveFastify(app: FastifyInstance): Promise<string> {
  closers.push(() => app.close());
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return `${address}/payments`;
}

/** The README's Fastify setup: a scope of its own whose content-type parser leaves the body unread. */
function mount(app: FastifyInstance, bridge: Parameters<typeof toNodeHandler>[0]) {
  const handler = toNodeHandler(bridge);
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.all('/payments/*', async (request, reply) => {
      reply.hijack();
      await handler(request.raw, reply.raw);
    });
  });
}

describe('Fastify', () => {
  it('pays through the sandbox and refuses a forged notification', async () => {
    const payments = shop({ basePath: '/payments' });
    const app = Fastify();
    app.post('/other', async (request) => ({ parsed: request.body }));
    mount(app, payments.bridge);
    const base = await serveFastify(app);
    payments.connect(base);
    expect(await purchase(base, payments)).toBe('paid');
    expect(payments.clientIps).toEqual(['127.0.0.1']);

    const started = (await (await startPayment(base, {}, 'order-2')).json()) as {
      payment: { id: string };
      redirect: { fields: Record<string, string> };
    };
    const forged = await forgedNotification(base, started.redirect.fields.reference as string);
    expect(await forged.text()).toBe('version=2\ncdr=1\n');
    expect(await status(base, started.payment.id)).toBe('new');
    // The rest of the app keeps Fastify's own JSON parser.
    const other = await fetch(base.replace('/payments', '/other'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await other.json()).toEqual({ parsed: { a: 1 } });
  });

  it("answers 500 BODY_ALREADY_PARSED when Fastify's JSON parser read the body first", async () => {
    const payments = shop({ basePath: '/payments' });
    const app = Fastify();
    const handler = toNodeHandler(payments.bridge);
    app.all('/payments/*', async (request, reply) => {
      reply.hijack();
      await handler(request.raw, reply.raw);
    });
    const base = await serveFastify(app);
    const started = await startPayment(base);
    expect(started.status).toBe(500);
    expect(((await started.json()) as { error: { code: string } }).error.code).toBe('BODY_ALREADY_PARSED');
  });
});

describe('node:http', () => {
  it('pays through the sandbox with http.createServer(handler)', async () => {
    const payments = shop({ basePath: '/payments' });
    const handler = toNodeHandler(payments.bridge);
    const server: Server = createServer((req, res) => void handler(req, res));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    server.listen(0, '127.0.0.1');
    const base = `${await origin(server)}/payments`;
    payments.connect(base);
    expect(await purchase(base, payments)).toBe('paid');
    const head = await fetch(`${base}/status/nope`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/status/nope`)).status).toBe(404);
  });
});
