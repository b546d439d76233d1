import { type Paybridge, PaybridgeError, toPaybridgeError } from '@paybridge/core';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';

/** `{ "amount": 500 }` (minor units), or an empty body for what is left to refund. */
function refundAmount(text: string): number | undefined {
  if (!text) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PaybridgeError('BAD_REQUEST', 'the body must be JSON: { "amount": <minor units> }');
  }
  const amount = (body as { amount?: unknown } | null)?.amount;
  if (amount !== undefined && !Number.isSafeInteger(amount)) {
    throw new PaybridgeError('INVALID_AMOUNT', 'amount must be an integer in minor units');
  }
  return amount as number | undefined;
}

/**
 * The shop's back office: refunds, for the staff's tools. A script sends the bearer token (no cookie a
 * foreign page could ride on); without ADMIN_TOKEN these routes are not mounted at all.
 */
export function adminApp(bridge: Paybridge, token: string) {
  const app = new Hono();
  app.use('*', bearerAuth({ token })); // compares the token in constant time
  app.use(
    '*',
    bodyLimit({ maxSize: 1024, onError: () => new PaybridgeError('PAYLOAD_TOO_LARGE').toResponse() }),
  );
  // Hono's own refusals (401 from bearerAuth) as they are; a PaybridgeError answers with its code;
  // anything else is INTERNAL, without its text.
  app.onError((error) =>
    error instanceof HTTPException ? error.getResponse() : toPaybridgeError(error).toResponse(),
  );
  /** An `Idempotency-Key` header makes a retried request the same refund, never a second one. */
  app.post('/payments/:id/refund', async (c) => {
    const amount = refundAmount(await c.req.text());
    const idempotencyKey = c.req.header('idempotency-key');
    const payment = await bridge.refund(c.req.param('id'), {
      ...(amount === undefined ? {} : { amount }),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return c.json({ id: payment.id, status: payment.status, amountRefunded: payment.amountRefunded });
  });
  return app;
}
