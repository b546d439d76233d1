import 'reflect-metadata';
import type { Server, ServerResponse } from 'node:http';
import { All, Controller, Get, Module, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeRequest, toNodeHandler } from '../src/index';
import { forgedNotification, origin, purchase, shop, startPayment, status } from './support';

// NestJS on its Express platform, as `nest new` sets it up. The decorators are applied by hand, as
// TypeScript's legacy decorators would apply them, so that this file needs no decorator compiler flags.
class HomeController {
  home() {
    return 'shop';
  }
}
Get()(
  HomeController.prototype,
  'home',
  Object.getOwnPropertyDescriptor(HomeController.prototype, 'home') as never,
);
Controller()(HomeController);

/** A module with Nest's own routes only: the bridge is mounted in main.ts (recipe 1). */
class AppModule {}
Module({ controllers: [HomeController] })(AppModule);

/** Recipe 2: a Nest controller hands Nest's req/res to the bridge; `rawBody: true` kept the bytes. */
function paymentsModule(handler: ReturnType<typeof toNodeHandler>) {
  class PaymentsController {
    async serve(req: NodeRequest, res: ServerResponse) {
      await handler(req, res);
    }
  }
  const proto = PaymentsController.prototype;
  Req()(proto, 'serve', 0);
  Res()(proto, 'serve', 1);
  All('payments/*path')(proto, 'serve', Object.getOwnPropertyDescriptor(proto, 'serve') as never);
  Controller()(PaymentsController);
  class PaymentsModule {}
  Module({ controllers: [HomeController, PaymentsController] })(PaymentsModule);
  return PaymentsModule;
}

const apps: NestExpressApplication[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function listen(app: NestExpressApplication): Promise<string> {
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  return origin(app.getHttpServer() as Server);
}

describe('NestJS (Express platform)', () => {
  it('main.ts: app.use("/payments", handler) before listen() runs ahead of Nest’s body parsers', async () => {
    const payments = shop();
    const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: false });
    app.use('/payments', toNodeHandler(payments.bridge));
    const base = await listen(app);
    payments.connect(`${base}/payments`);
    expect(await purchase(`${base}/payments`, payments)).toBe('paid');
    expect(payments.clientIps).toEqual(['127.0.0.1']);
    // Nest's own routes are untouched.
    expect(await (await fetch(`${base}/`)).text()).toBe('shop');
  });

  it('a Nest controller with rawBody: true: the bridge verifies the bytes Nest’s parsers kept', async () => {
    const payments = shop();
    const app = await NestFactory.create<NestExpressApplication>(
      paymentsModule(toNodeHandler(payments.bridge)),
      {
        logger: false,
        rawBody: true,
      },
    );
    const base = `${await listen(app)}/payments`;
    payments.connect(base);
    expect(await purchase(base, payments)).toBe('paid');

    const started = (await (await startPayment(base, {}, 'order-2')).json()) as {
      payment: { id: string };
      redirect: { fields: Record<string, string> };
    };
    const forged = await forgedNotification(base, started.redirect.fields.reference as string);
    expect(await forged.text()).toBe('version=2\ncdr=1\n');
    expect(await status(base, started.payment.id)).toBe('new');
  });

  it('a Nest controller without rawBody: 500 BODY_ALREADY_PARSED, never a signature over re-serialised JSON', async () => {
    const payments = shop();
    const app = await NestFactory.create<NestExpressApplication>(
      paymentsModule(toNodeHandler(payments.bridge)),
      {
        logger: false,
      },
    );
    const base = `${await listen(app)}/payments`;
    const started = await startPayment(base);
    expect(started.status).toBe(500);
    expect(((await started.json()) as { error: { code: string } }).error.code).toBe('BODY_ALREADY_PARSED');
  });
});
