import { StripeFailure } from './http';
import type { IdempotencyRecord, StripeState } from './model';

const KEY_TTL_MS = 24 * 3600 * 1000;

/** Same key, same parameters → the stored answer; parameters compare as a sorted list of decoded pairs. */
export function fingerprint(method: string, path: string, body: string): string {
  const pairs = [...new URLSearchParams(body)].map(([k, v]) => `${k}=${v}`).sort();
  return JSON.stringify([method, path, pairs]);
}

export type IdempotencyOutcome =
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'run'; record: IdempotencyRecord; scope: string };

/**
 * Stripe's `Idempotency-Key` (reference §1.6): scoped per account, bound to the exact parameters,
 * replays the first answer (including errors raised after execution started), 409 while the first
 * request still runs, forgotten after 24 h (on the sandbox clock).
 */
export function begin(
  state: StripeState,
  account: string | null,
  key: string,
  print: string,
): IdempotencyOutcome {
  if (key.length > 255) {
    throw StripeFailure.invalid('Idempotency-Key must be at most 255 characters long.', 'Idempotency-Key');
  }
  const now = state.env.clock.now();
  const scope = `${account ?? '(platform)'}\u0000${key}`;
  const existing = state.idempotency.get(scope);
  if (existing && now - existing.createdAt < KEY_TTL_MS) {
    if (existing.fingerprint !== print) {
      throw new StripeFailure(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key.slice(0, 255)}' if you meant to execute a different request.`,
      });
    }
    if (existing.running || existing.status === undefined) {
      throw new StripeFailure(409, {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message:
          'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): please try again later.',
      });
    }
    return { kind: 'replay', status: existing.status, body: existing.body ?? '' };
  }
  const record: IdempotencyRecord = { fingerprint: print, createdAt: now, running: true };
  state.idempotency.set(scope, record);
  return { kind: 'run', record, scope };
}

/** Stores the answer, or forgets the key when nothing was executed (validation error). */
export function finish(
  state: StripeState,
  scope: string,
  record: IdempotencyRecord,
  status: number,
  body: string,
  keep: boolean,
): void {
  if (!keep) {
    state.idempotency.delete(scope);
    return;
  }
  record.running = false;
  record.status = status;
  record.body = body;
}
