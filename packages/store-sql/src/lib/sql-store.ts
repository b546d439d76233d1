import {
  type ApplyChangeRequest,
  type ApplyChangeResult,
  type GatewayMessage,
  type GatewayMessagePatch,
  type MessageQuery,
  type NewGatewayMessage,
  type Page,
  PaybridgeError,
  type Payment,
  type PaymentQuery,
  type PaymentStore,
  randomId,
  type Transition,
} from '@paybridge/core';
import type { Kysely } from 'kysely';
import type { SqlEngine } from './engine';
import { type MigrationReport, runMigrations } from './migrator';
import { decodeCursor, encodeCursor, pageSize } from './paging';
import {
  paymentToRow,
  refundRows,
  rowToMessage,
  rowToPayment,
  rowToTransition,
  toJson,
  transitionToRow,
} from './rows';
import type { Database } from './schema';
import { ForeignError, storeCall } from './store-errors';

export interface SqlStoreOptions {
  /** Run pending migrations before the first query (default true). */
  autoMigrate?: boolean;
  /** How many times `applyChange` re-reads and recomputes after losing a compare-and-set (default 20). */
  maxCasRetries?: number;
}

export interface SqlPaymentStore extends PaymentStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** The Kysely instance (for the merchant's own admin queries; the schema is documented in the README). */
  readonly db: Kysely<Database>;
  /** Applies pending migrations now (also done lazily before the first query unless `autoMigrate: false`). */
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
}

class CasConflict extends Error {}

/** The PaymentStore over any SqlEngine: every query here is shared by SQLite and PostgreSQL. */
export function createSqlStore(
  name: string,
  engine: SqlEngine,
  options: SqlStoreOptions = {},
): SqlPaymentStore {
  const { db } = engine;
  const maxCasRetries = options.maxCasRetries ?? 20;
  let ready: Promise<unknown> | null = options.autoMigrate === false ? Promise.resolve() : null;

  async function migrate(): Promise<MigrationReport> {
    const report = await runMigrations(engine);
    ready = Promise.resolve(report);
    return report;
  }

  async function whenReady(): Promise<void> {
    if (!ready) {
      ready = migrate();
      // A failed start-up migration is retried by the next call rather than cached forever.
      ready.catch(() => {
        ready = null;
      });
    }
    await ready;
  }

  function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return storeCall(name, operation, async () => {
      await whenReady();
      return fn();
    });
  }

  async function insertTransitions(trx: Kysely<Database>, transitions: readonly Transition[]): Promise<void> {
    if (transitions.length === 0) return;
    await trx.insertInto('paybridge_transitions').values(transitions.map(transitionToRow)).execute();
  }

  async function writeRefunds(trx: Kysely<Database>, payment: Payment): Promise<void> {
    const rows = refundRows(payment);
    if (rows.length === 0) return;
    await trx
      .insertInto('paybridge_refunds')
      .values(rows)
      .onConflict((conflict) =>
        conflict.columns(['payment_id', 'refund_id']).doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          amount: eb.ref('excluded.amount'),
          status: eb.ref('excluded.status'),
          reason: eb.ref('excluded.reason'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  /** One attempt: claim, read, compute, compare-and-set, record — all or nothing. */
  function attempt(request: ApplyChangeRequest): Promise<ApplyChangeResult> {
    return engine.writeTransaction(async (trx) => {
      // Claim first, in a stable order: two instances claiming overlapping ids then lock them in the
      // same order (no deadlock), and the loser of a race on one id waits for the winner to commit
      // and then sees the conflict — the UNIQUE key decides, never a prior SELECT.
      const wanted = [...new Set(request.eventIds)].sort();
      const fresh = new Set<string>();
      if (wanted.length > 0) {
        const claimedAt = new Date().toISOString();
        const claimed = await trx
          .insertInto('paybridge_processed_events')
          .values(
            wanted.map((eventId) => ({
              event_id: eventId,
              payment_id: request.paymentId,
              claimed_at: claimedAt,
            })),
          )
          .onConflict((conflict) => conflict.column('event_id').doNothing())
          .returning('event_id')
          .execute();
        for (const row of claimed) fresh.add(row.event_id);
      }
      const row = await trx
        .selectFrom('paybridge_payments')
        .selectAll()
        .where('id', '=', request.paymentId)
        .executeTakeFirst();
      if (!row) {
        throw new PaybridgeError('UNKNOWN_PAYMENT', undefined, { details: { paymentId: request.paymentId } });
      }
      const current = rowToPayment(row);
      if (wanted.length > 0 && fresh.size === 0) {
        return { outcome: 'duplicate', payment: current, transitions: [] };
      }
      let change: ReturnType<ApplyChangeRequest['compute']>;
      try {
        change = request.compute(current, fresh);
      } catch (error) {
        // The caller's own failure: not a store failure, so it must not become STORE_UNAVAILABLE.
        throw new ForeignError(error);
      }
      // Unchanged still commits the claims: the fact was seen and a redelivery is a duplicate.
      if (!change) return { outcome: 'unchanged', payment: current, transitions: [] };
      if (change.payment.id !== current.id || change.payment.version !== current.version + 1) {
        throw new PaybridgeError(
          'CONFLICT',
          'A computed change must keep the id and increment the version by one',
        );
      }
      const { id: _id, created_at: _createdAt, ...columns } = paymentToRow(change.payment, engine.toBool);
      const updated = await trx
        .updateTable('paybridge_payments')
        .set(columns)
        .where('id', '=', current.id)
        .where('version', '=', current.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new CasConflict();
      await insertTransitions(trx, change.transitions);
      await writeRefunds(trx, change.payment);
      return { outcome: 'applied', payment: change.payment, transitions: change.transitions };
    });
  }

  const store = {
    name,
    dialect: engine.dialect,
    db,
    migrate: () => storeCall(name, 'migrate', migrate),

    createPayment: (payment, transition) =>
      call('createPayment', () =>
        engine.writeTransaction(async (trx) => {
          try {
            await trx.insertInto('paybridge_payments').values(paymentToRow(payment, engine.toBool)).execute();
          } catch (error) {
            if (engine.isUniqueViolation(error)) {
              throw new PaybridgeError('CONFLICT', 'A payment with this id already exists', {
                details: { paymentId: payment.id },
              });
            }
            throw error;
          }
          await insertTransitions(trx, [transition]);
          await writeRefunds(trx, payment);
        }),
      ),

    getPayment: (id) =>
      call('getPayment', async () => {
        const row = await db
          .selectFrom('paybridge_payments')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        return row ? rowToPayment(row) : null;
      }),

    findPaymentByExternalId: (backend, externalId) =>
      call('findPaymentByExternalId', async () => {
        const row = await db
          .selectFrom('paybridge_payments')
          .selectAll()
          .where('backend', '=', backend)
          .where('external_id', '=', externalId)
          // The payment that most recently took this external id, as memoryStore's index answers.
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row ? rowToPayment(row) : null;
      }),

    listPayments: (query: PaymentQuery) =>
      call('listPayments', async (): Promise<Page<Payment>> => {
        const limit = pageSize(query.limit);
        const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | null;
        let select = db.selectFrom('paybridge_payments').selectAll();
        if (query.orderId !== undefined) select = select.where('order_id', '=', query.orderId);
        if (query.backend !== undefined) select = select.where('backend', '=', query.backend);
        if (query.status !== undefined) select = select.where('status', '=', query.status);
        if (query.expiresBefore !== undefined) select = select.where('expires_at', '<', query.expiresBefore);
        // Newest first by (created_at, id), as memoryStore orders them; keyset paging on that key.
        if (after !== null) {
          const [createdAt, id] = after;
          select = select.where((eb) =>
            eb.or([
              eb('created_at', '<', createdAt),
              eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
            ]),
          );
        }
        const rows = await select
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute();
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return {
          items: page.map(rowToPayment),
          nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
        };
      }),

    applyChange: (request) =>
      call('applyChange', async () => {
        for (let round = 0; ; round++) {
          try {
            return await attempt(request);
          } catch (error) {
            const retryable = error instanceof CasConflict || engine.isTransient(error);
            if (!retryable) throw error;
            if (round >= maxCasRetries) {
              throw new PaybridgeError('CONFLICT', 'The payment kept changing concurrently; giving up', {
                details: { paymentId: request.paymentId, attempts: round + 1 },
              });
            }
            // Jittered backoff so that instances that collided do not collide again in lockstep.
            await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** round)));
          }
        }
      }),

    listTransitions: (paymentId) =>
      call('listTransitions', async () => {
        const rows = await db
          .selectFrom('paybridge_transitions')
          .selectAll()
          .where('payment_id', '=', paymentId)
          .orderBy('seq', 'asc')
          .execute();
        return rows.map(rowToTransition);
      }),

    claimUnemittedTransitions: (limit, { now, leaseMs }) =>
      call('claimUnemittedTransitions', () =>
        engine.writeTransaction(async (trx) => {
          const at = Date.parse(now);
          const cutoff = new Date(at - leaseMs).toISOString();
          const until = new Date(at + leaseMs).toISOString();
          let query = trx
            .selectFrom('paybridge_transitions')
            .selectAll()
            .where('emitted_at', 'is', null)
            .where('at', '<=', cutoff)
            .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
            .orderBy('seq', 'asc')
            .limit(Math.max(0, Math.floor(limit)));
          // PostgreSQL: concurrent drainers skip each other's rows; SQLite write transactions are serialized already.
          if (engine.dialect === 'postgres') query = query.forUpdate().skipLocked();
          const rows = await query.execute();
          if (rows.length > 0) {
            await trx
              .updateTable('paybridge_transitions')
              .set({ claimed_until: until })
              .where(
                'id',
                'in',
                rows.map((row) => row.id),
              )
              .execute();
          }
          return rows.map(rowToTransition);
        }),
      ),

    markTransitionsEmitted: (ids) =>
      call('markTransitionsEmitted', async () => {
        if (ids.length === 0) return;
        await db
          .updateTable('paybridge_transitions')
          .set({ emitted_at: new Date().toISOString() })
          .where('id', 'in', [...ids])
          .where('emitted_at', 'is', null)
          .execute();
      }),

    appendMessage: (message: NewGatewayMessage) =>
      call('appendMessage', async (): Promise<GatewayMessage> => {
        const createdAt = message.createdAt ?? new Date().toISOString();
        const stored: GatewayMessage = {
          id: randomId('msg'),
          direction: message.direction,
          backend: message.backend,
          kind: message.kind,
          method: message.method,
          url: message.url,
          headers: { ...message.headers },
          body: message.body,
          bodyEncoding: message.bodyEncoding,
          verdict: message.verdict ?? null,
          outcome: message.outcome ?? null,
          responseStatus: message.responseStatus ?? null,
          responseBody: message.responseBody ?? null,
          paymentId: message.paymentId ?? null,
          detail: message.detail ?? null,
          durationMs: message.durationMs ?? null,
          createdAt,
          updatedAt: createdAt,
        };
        await db
          .insertInto('paybridge_messages')
          .values({
            id: stored.id,
            direction: stored.direction,
            backend: stored.backend,
            kind: stored.kind,
            method: stored.method,
            url: stored.url,
            headers: toJson(stored.headers),
            body: stored.body,
            body_encoding: stored.bodyEncoding,
            verdict: stored.verdict,
            outcome: stored.outcome,
            response_status: stored.responseStatus,
            response_body: stored.responseBody,
            payment_id: stored.paymentId,
            detail: stored.detail,
            duration_ms: stored.durationMs === null ? null : Math.round(stored.durationMs),
            created_at: stored.createdAt,
            updated_at: stored.updatedAt,
          })
          .execute();
        return stored;
      }),

    updateMessage: (id: string, patch: GatewayMessagePatch) =>
      call('updateMessage', async () => {
        const set: Partial<Record<string, unknown>> = { updated_at: new Date().toISOString() };
        if (patch.verdict !== undefined) set.verdict = patch.verdict;
        if (patch.outcome !== undefined) set.outcome = patch.outcome;
        if (patch.responseStatus !== undefined) set.response_status = patch.responseStatus;
        if (patch.responseBody !== undefined) set.response_body = patch.responseBody;
        if (patch.paymentId !== undefined) set.payment_id = patch.paymentId;
        if (patch.detail !== undefined) set.detail = patch.detail;
        if (patch.durationMs !== undefined) {
          set.duration_ms = patch.durationMs === null ? null : Math.round(patch.durationMs);
        }
        const result = await db
          .updateTable('paybridge_messages')
          .set(set)
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) {
          throw new PaybridgeError('NOT_FOUND', 'No such gateway message', { details: { messageId: id } });
        }
      }),

    listMessages: (query: MessageQuery) =>
      call('listMessages', async (): Promise<Page<GatewayMessage>> => {
        const limit = pageSize(query.limit);
        const after = decodeCursor(query.cursor, ['number']) as [number] | null;
        let select = db.selectFrom('paybridge_messages').selectAll();
        if (query.paymentId !== undefined) select = select.where('payment_id', '=', query.paymentId);
        if (query.backend !== undefined) select = select.where('backend', '=', query.backend);
        if (query.direction !== undefined) select = select.where('direction', '=', query.direction);
        // Latest first in insertion order (seq), which created_at may not follow when clocks differ.
        if (after !== null) select = select.where('seq', '<', after[0]);
        const rows = await select
          .orderBy('seq', 'desc')
          .limit(limit + 1)
          .execute();
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return {
          items: page.map(rowToMessage),
          nextCursor: rows.length > limit && last ? encodeCursor([Number(last.seq)]) : null,
        };
      }),

    close: () => engine.close(),
  } satisfies SqlPaymentStore;
  return store;
}
