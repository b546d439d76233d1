import type { MiddlewareHandler } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import type { Env } from './brokers';
import { errorPage } from './pages/layout';

/**
 * Who may use `/admin` (it refunds, captures and cancels payments): the holder of a password (HTTP
 * basic auth, user `admin`), or anyone, but only when explicitly opened for local use. Never a guess
 * from the bind address: a tunnel to 127.0.0.1 exposes a loopback server just as well.
 */
export type AdminAccess = { password: string } | { open: true };

/** `DEMO_ADMIN_PASSWORD`, else `DEMO_ADMIN_OPEN=1`; null (the admin stays locked) when neither is set. */
export function adminAccessFromEnv(env: Env): AdminAccess | null {
  if (env.DEMO_ADMIN_PASSWORD) return { password: env.DEMO_ADMIN_PASSWORD };
  if (env.DEMO_ADMIN_OPEN === '1' || env.DEMO_ADMIN_OPEN === 'true') return { open: true };
  return null;
}

/** Guards the admin routes; with no access configured, every admin request gets 403 and how to open it. */
export function adminGuard(access: AdminAccess | null): MiddlewareHandler {
  if (access && 'password' in access) {
    if (access.password.length < 8) throw new Error('DEMO_ADMIN_PASSWORD: use at least 8 characters');
    return basicAuth({ username: 'admin', password: access.password, realm: 'paybridge admin' });
  }
  if (access?.open) return (_c, next) => next();
  return async (c) =>
    c.html(
      errorPage(
        'ADMIN_LOCKED: the admin has no password. Set DEMO_ADMIN_PASSWORD, or DEMO_ADMIN_OPEN=1 on a machine only you can reach.',
      ),
      403,
    );
}
