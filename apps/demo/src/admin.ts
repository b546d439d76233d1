import { type Paybridge, parseMajor } from '@paybridge/core';
import type { Sandbox, SandboxClock } from '@paybridge/sandbox';
import { Hono } from 'hono';
import { adminPage, paymentPage, setupPage } from './pages/admin';
import type { WalletLedger } from './wallet-ledger';

export interface AdminDeps {
  bridge: Paybridge;
  sandbox: Sandbox;
  clock: SandboxClock;
  ledger: WalletLedger;
  publicUrl: string;
  /** The wallet account of the browser looking at the admin (its store credit is shown). */
  accountOf(request: Request): string;
}

const DAY = 24 * 3600 * 1000;

/** The merchant's side: payments, their history and raw broker messages, operations, broker setup. */
export function adminRoutes({ bridge, sandbox, clock, ledger, publicUrl, accountOf }: AdminDeps) {
  const admin = new Hono();
  const flash = (url: string, kind: 'ok' | 'error', text: string) =>
    `${url}?${kind}=${encodeURIComponent(text)}`;

  admin.get('/', async (c) => {
    const payments = await bridge.store.listPayments({ limit: 200 });
    return c.html(
      adminPage({
        payments: payments.items,
        balance: await ledger.balance(accountOf(c.req.raw), 'EUR'),
        sandboxTime: new Date(clock.now()),
        queued: sandbox.queue.pending().length,
        message: { ok: c.req.query('ok'), error: c.req.query('error') },
      }),
    );
  });

  admin.get('/payments/:id', async (c) => {
    const payment = await bridge.getPayment(c.req.param('id'));
    if (!payment) return c.html('<h1>Unknown payment</h1>', 404);
    const [transitions, messages, children] = await Promise.all([
      bridge.store.listTransitions(payment.id),
      bridge.store.listMessages({ paymentId: payment.id, limit: 200 }),
      bridge.store.listPayments({ orderId: payment.orderId, limit: 200 }),
    ]);
    return c.html(
      paymentPage({
        payment,
        backend: bridge.backend(payment.backend),
        transitions,
        messages: messages.items,
        renewals: children.items.filter((p) => p.parentPaymentId === payment.id),
        message: { ok: c.req.query('ok'), error: c.req.query('error') },
      }),
    );
  });

  admin.post('/payments/:id/:action', async (c) => {
    const id = c.req.param('id');
    const back = `/admin/payments/${encodeURIComponent(id)}`;
    const form = await c.req.parseBody();
    const payment = await bridge.getPayment(id);
    try {
      const action = c.req.param('action');
      const amountText = String(form.amount ?? '').trim();
      const amount = amountText && payment ? parseMajor(amountText, payment.currency) : undefined;
      if (action === 'capture') await bridge.capture(id);
      else if (action === 'cancel') await bridge.cancel(id);
      else if (action === 'refund')
        await bridge.refund(id, {
          ...(amount === undefined ? {} : { amount }),
          ...(typeof form.key === 'string' && form.key ? { idempotencyKey: form.key } : {}),
          reason: 'demo admin',
        });
      else if (action === 'sync') await bridge.sync(id);
      else return c.redirect(flash(back, 'error', `unknown action ${action}`), 303);
      return c.redirect(flash(back, 'ok', `${action} done`), 303);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERROR';
      return c.redirect(flash(back, 'error', `${code}: ${(error as Error).message}`), 303);
    }
  });

  // Pull every open payment now (a lost notification); the counts come back on the page.
  admin.post('/reconcile', async (c) => {
    try {
      const result = await bridge.reconcile({ olderThan: 0 });
      const failed = result.failed.map((f) => `${f.paymentId} (${f.code}: ${f.message})`).join(', ');
      const text =
        `reconciled: ${result.pulled} pulled, ${result.changed} changed, ${result.unchanged} unchanged, ` +
        `${result.failed.length} failed${failed ? ` [${failed}]` : ''}, ${result.skippedNotPullable} not pullable, ` +
        `${result.refundsPulled} of the pulled for a refund still open` +
        (result.incomplete ? ' (more left for the next pass)' : '');
      return c.redirect(flash('/admin', result.failed.length ? 'error' : 'ok', text), 303);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERROR';
      return c.redirect(flash('/admin', 'error', `${code}: ${(error as Error).message}`), 303);
    }
  });

  admin.get('/setup', (c) => {
    const url = (c.req.query('url') || publicUrl).replace(/\/+$/, '');
    let valid = true;
    try {
      new URL(url);
    } catch {
      valid = false;
    }
    return c.html(setupPage(url, valid ? bridge.setupInstructions(`${url}/payments`) : null));
  });

  // Sandbox controls: make the brokers' due calls now, jump ahead in time (subscriptions), settle refunds.
  admin.post('/sandbox/flush', async (c) => {
    const count = await sandbox.flush();
    return c.redirect(flash('/admin', 'ok', `${count} broker call(s) delivered`), 303);
  });
  admin.post('/sandbox/advance', async (c) => {
    const form = await c.req.parseBody();
    const days = Math.min(Math.max(Number(form.days ?? 31) || 31, 1), 366);
    clock.advance(days * DAY);
    const count = await sandbox.flush();
    return c.redirect(
      flash('/admin', 'ok', `sandbox clock moved ${days} days; ${count} call(s) delivered`),
      303,
    );
  });
  admin.post('/sandbox/payu-refunds', async (c) => {
    const count = sandbox.payu.finalizeRefunds();
    await sandbox.flush();
    return c.redirect(flash('/admin', 'ok', `${count} PayU refund(s) finalized`), 303);
  });
  return admin;
}
