import type { Logger } from '@paybridge/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { buyerSession } from './buyer-session';
import { errorPage } from './pages/layout';
import { isSafeMethod, isSameOriginRequest } from './same-origin';

/** The demo's forms take what the bridge's own routes take (core's default `maxBodyBytes`). */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Refuses a body over `maxBytes` with 413, whether it declares its length or streams it in chunks,
 * before a handler buffers it (`parseBody` would read any size).
 */
export function limitBody(logger: Logger, maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      logger.warn('demo request refused', { path: c.req.path, code: 'PAYLOAD_TOO_LARGE' });
      return c.html(errorPage(`PAYLOAD_TOO_LARGE: request body over ${maxBytes} bytes`), 413);
    },
  });
}

/** Refuses (403) any state-changing request that does not come from a page of `ownOrigin`. */
export function sameOriginOnly(ownOrigin: string, logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    if (isSafeMethod(c.req.method) || isSameOriginRequest(c.req.raw, ownOrigin)) return next();
    logger.warn('demo request refused', { path: c.req.path, code: 'CROSS_ORIGIN_REQUEST' });
    return c.html(
      errorPage('CROSS_ORIGIN_REQUEST: this form can only be sent from the shop’s own pages'),
      403,
    );
  };
}

/**
 * The shop's own guards, before its routes: every state-changing form of the shop, the admin and the
 * button's start comes from our own pages, with a bounded body; every browser gets its buyer id. The
 * broker-facing routes are left alone: brokers post notifications and returns from their own sites.
 */
export function guardShop(app: Hono, publicUrl: string, logger: Logger): void {
  const ownPagesOnly = sameOriginOnly(new URL(publicUrl).origin, logger);
  const bounded = limitBody(logger);
  for (const path of ['/split', '/orders/*', '/admin', '/admin/*', '/payments/start']) {
    app.use(path, ownPagesOnly);
    app.use(path, bounded);
  }
  const session = buyerSession(publicUrl.startsWith('https:'));
  app.use('*', async (c, next) =>
    /^\/(payments\/notify|sandbox|assets)\//.test(c.req.path) ? next() : session(c, next),
  );
}
