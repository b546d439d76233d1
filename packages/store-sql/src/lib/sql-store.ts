import {
  type GatewayMessagePatch,
  type MessageQuery,
  type NewGatewayMessage,
  type Page,
  PaybridgeError,
  type Payment,
  type PaymentQuery,
  type PaymentStore,
} from '@paybridge/core';
import type { Kysely, Selectable } from 'kysely';
import { applyChange } from './apply-change';
import type { SqlEngine } from './engine';
import { applyFast, postgresFastWriter } from './fast-apply';
import { appendMessage, listMessages, updateMessage } from './message-log';
import { type MigrationReport, runMigrations } from './migrator';
import { decodeCursor, encodeCursor, literalLimit, pageSize } from './paging';
import { insertTransitions, selectPayment, writeRefunds } from './payment-writes';
import { ReadSnapshots } from './read-snapshots';
import { paymentToRow, rowToPayment, rowToTransition } from './rows';
import type { Database, PaymentsTable } from './schema';
import { storeCall } from './store-errors';

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

  // What this store read or wrote for each payment it hands out: applyChange's fast path computes
  // on it when the caller hands the payment back (fast-apply.ts).
  const snapshots = new ReadSnapshots(engine.toBool);
  const postgresWriter = engine.dialect === 'postgres' ? postgresFastWriter(engine) : undefined;
  const handOut = (row: Selectable<PaymentsTable>): Payment => {
    const payment = rowToPayment(row);
    return engine.dialect === 'sqlite' ? snapshots.keepRow(payment, row) : snapshots.keep(payment);
  };

  const store = {
    name,
    dialect: engine.dialect,
    db,
    migrate: () => storeCall(name, 'migrate', migrate),

    createPayment: (payment, transition) =>
      call('createPayment', async () => {
        const row = paymentToRow(payment, engine.toBool);
        await engine.writeTransaction(async (trx) => {
          try {
            await engine.statements.execute(
              trx,
              `insert-payment:${Object.keys(row).join()}`,
              Object.values(row),
              () => trx.insertInto('paybridge_payments').values(row),
            );
          } catch (error) {
            if (engine.isUniqueViolation(error)) {
              throw new PaybridgeError('CONFLICT', 'A payment with this id already exists', {
                details: { paymentId: payment.id },
              });
            }
            throw error;
          }
          await insertTransitions(engine, trx, [transition]);
          await writeRefunds(trx, payment);
        });
        snapshots.keep(payment, row);
      }),

    getPayment: (id) =>
      call('getPayment', async () => {
        const row = engine.shared
          ? await engine.shared.selectPayment(id)
          : await selectPayment(engine, db, id);
        return row ? handOut(row) : null;
      }),

    findPaymentByExternalId: (backend, externalId) =>
      call('findPaymentByExternalId', async () => {
        const result = await engine.statements.execute(db, 'find-by-external-id', [backend, externalId], () =>
          db
            .selectFrom('paybridge_payments')
            .selectAll()
            .where('backend', '=', backend)
            .where('external_id', '=', externalId)
            // The payment that most recently took this external id, as memoryStore's index answers.
            .orderBy('seq', 'desc')
            .limit(literalLimit(1)),
        );
        const row = result.rows[0];
        return row ? handOut(row) : null;
      }),

    listPayments: (query: PaymentQuery) =>
      call('listPayments', async (): Promise<Page<Payment>> => {
        const limit = pageSize(query.limit);
        const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | null;
        // The statement's shape: which filters, whether a cursor, the page size (a literal).
        const filters = (['orderId', 'backend', 'status', 'expiresBefore', 'createdBefore'] as const).filter(
          (key) => query[key] !== undefined,
        );
        const parameters: unknown[] = filters.map((key) => query[key]);
        if (after !== null) parameters.push(after[0], after[0], after[1]);
        const build = () => {
          let select = db.selectFrom('paybridge_payments').selectAll();
          if (query.orderId !== undefined) select = select.where('order_id', '=', query.orderId);
          if (query.backend !== undefined) select = select.where('backend', '=', query.backend);
          if (query.status !== undefined) select = select.where('status', '=', query.status);
          if (query.expiresBefore !== undefined)
            select = select.where('expires_at', '<', query.expiresBefore);
          if (query.createdBefore !== undefined)
            select = select.where('created_at', '<', query.createdBefore);
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
          return select
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(literalLimit(limit + 1));
        };
        const { rows } = await engine.statements.execute(
          db,
          `list-payments:${filters.join()}:${after !== null}:${limit}`,
          parameters,
          build,
        );
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return {
          items: page.map(rowToPayment),
          nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
        };
      }),

    applyChange: (request) =>
      call('applyChange', async () => {
        const fast = await applyFast(engine, snapshots, request, postgresWriter);
        if (fast) return fast;
        const result = await applyChange(engine, request, maxCasRetries);
        snapshots.keep(result.payment);
        return result;
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
            .limit(literalLimit(Math.max(0, Math.floor(limit))));
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
        if (engine.shared) return engine.shared.markEmitted(ids);
        const emittedAt = new Date().toISOString();
        await engine.write((writer) =>
          engine.statements.execute(writer, `mark-emitted:${ids.length}`, [emittedAt, ...ids], () =>
            writer
              .updateTable('paybridge_transitions')
              .set({ emitted_at: emittedAt })
              .where('id', 'in', [...ids])
              .where('emitted_at', 'is', null),
          ),
        );
      }),

    appendMessage: (message: NewGatewayMessage) =>
      call('appendMessage', () => appendMessage(engine, message)),
    updateMessage: (id: string, patch: GatewayMessagePatch) =>
      call('updateMessage', () => updateMessage(engine, id, patch)),
    listMessages: (query: MessageQuery) => call('listMessages', () => listMessages(engine, query)),

    close: () => engine.close(),
  } satisfies SqlPaymentStore;
  return store;
}
