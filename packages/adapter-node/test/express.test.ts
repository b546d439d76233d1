import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeRequest, toNodeHandler } from '../src/index';
import { forgedNotification, origin, purchase, shop, startPayment, status } from './support';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  return `${await origin(server)}/payments`;
}

describe('Express', () => {
  it('pays through the sandbox with the bridge under app.use("/payments") (mount path kept)', async () => {
    const payments = shop();
    const app = express();
    app.use('/payments', toNodeHandler(payments.bridge));
    const base = await serve(app);
    payments.connect(base);
    expect(await purchase(base, payments)).toBe('paid');
    expect(payments.clientIps).toEqual(['127.0.0.1']);
  });

  it('refuses a forged notification and leaves the payment payable', async () => {
    const payments = shop();
    const app = express();
    app.use('/payments', toNodeHandler(payments.bridge));
    const base = await serve(app);
    payments.connect(base);
    const started = (await (await startPayment(base)).json()) as {
      payment: { id: string };
      redirect: { fields: Record<string, string> };
    };
    const forged = await forgedNotification(base, started.redirect.fields.reference as string);
    // CM-CIC's protocol: the bank is told `cdr=1` (MAC refused), never `cdr=0`.
    expect(forged.status).toBe(200);
    expect(await forged.text()).toBe('version=2\ncdr=1\n');
    expect(await status(base, started.payment.id)).toBe('new');
  });

  it('answers 500 BODY_ALREADY_PARSED when express.json()/urlencoded() consumed the body first', async () => {
    const payments = shop();
    const app = express();
    app.use(express.json(), express.urlencoded());
    app.use('/payments', toNodeHandler(payments.bridge));
    const base = await serve(app);
    const started = await startPayment(base);
    expect(started.status).toBe(500);
    expect(((await started.json()) as { error: { code: string } }).error.code).toBe('BODY_ALREADY_PARSED');
    const forged = await forgedNotification(base, 'ref');
    expect(forged.status).toBe(500);
  });

  it('recovers the exact bytes a parser kept in req.rawBody (express.urlencoded({ verify }))', async () => {
    const payments = shop();
    const app = express();
    const keepRaw = (req: NodeRequest, _res: unknown, buf: Buffer) => {
      req.rawBody = buf;
    };
    app.use(express.json({ verify: keepRaw }), express.urlencoded({ verify: keepRaw }));
    app.use('/payments', toNodeHandler(payments.bridge));
    const base = await serve(app);
    payments.connect(base);
    expect(await purchase(base, payments)).toBe('paid');
  });

  it('takes a Buffer body from express.raw()', async () => {
    const payments = shop();
    const app = express();
    app.use('/payments', express.raw({ type: '*/*' }), toNodeHandler(payments.bridge));
    const base = await serve(app);
    payments.connect(base);
    expect(await purchase(base, payments)).toBe('paid');
  });

  it('answers 413 for a chunked body over maxBodyBytes and keeps serving', async () => {
    const payments = shop({ maxBodyBytes: 1024 });
    const app = express();
    app.use('/payments', toNodeHandler(payments.bridge));
    const base = await serve(app);
    const big = new Uint8Array(64 * 1024).fill(0x61);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(big);
        controller.close();
      },
    });
    const response = await fetch(`${base}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await startPayment(base)).status).toBe(200);
  });

  it('takes the client IP from the socket, X-Forwarded-For only from a trusted proxy', async () => {
    const untrusting = shop();
    const app = express();
    app.use('/payments', toNodeHandler(untrusting.bridge));
    const base = await serve(app);
    await startPayment(base, { 'x-forwarded-for': '203.0.113.9' });
    expect(untrusting.clientIps).toEqual(['127.0.0.1']);

    const trusting = shop({ trustProxy: ['127.0.0.1'] });
    const behindProxy = express();
    behindProxy.use('/payments', toNodeHandler(trusting.bridge));
    const proxied = await serve(behindProxy);
    await startPayment(proxied, { 'x-forwarded-for': '203.0.113.9' });
    expect(trusting.clientIps).toEqual(['203.0.113.9']);
  });
});
