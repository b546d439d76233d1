import { type Page, PaybridgeError, type Payment, type PaymentStore } from '@paybridge/core';
import type { Kysely } from 'kysely';
import { applyChange } from './apply-change';
import type { SqlEngine } from './engine';
import { appendMessage, listMessages, updateMessage } from './message-log';
import { type MigrationReport, type MigrationStatus, readMigrationStatus, runMigrations } from './migrator';
import { decodeCursor, literalLimit, pageSize, toPage } from './paging';
import { writeRefunds } from './queries';
import { paymentToRow, rowToPayment, rowToTransition, transitionToRow } from './rows';
import type { Database } from './schema';
import type { Speedups } from './speedups/speedups';
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
  /** The schema version and the migrations `migrate()` would apply, read without applying them. */
  migrationStatus(): Promise<MigrationStatus>;
  close(): Promise<void>;
}

/**
 * The PaymentStore over any SqlEngine: every statement is one Kysely query shared by SQLite and
 * PostgreSQL (here, queries.ts, apply-change.ts, message-log.ts). `speedups` replaces the hot steps
 * with faster ones that answer the same (speedups/speedups.ts); `plain(engine)` is the plain layer
 * alone (the tests run every suite on it). Each store names its own, so a bundle carries only the
 * layer its store runs.
 */
export function createSqlStore(
  name: string,
  engine: SqlEngine,
  options: SqlStoreOptions,
  speedups: Speedups,
): SqlPaymentStore {
  const { db } = engine;
  const { queries } = speedups;
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

  /** Each operation runs after the start-up migration; a database failure names the operation. */
  function afterMigration<T extends object>(operations: T): T {
    const wrap = ([operation, fn]: [string, (...args: unknown[]) => Promise<unknown>]) => [
      operation,
      (...args: unknown[]) =>
        storeCall(name, operation, async () => {
          await whenReady();
          return fn(...args);
        }),
    ];
    return Object.fromEntries(Object.entries(operations).map(wrap)) as T;
  }

  const operations: Omit<PaymentStore, 'name' | 'close'> = {
    createPayment: async (payment, transition) => {
      const row = paymentToRow(payment, engine.toBool);
      await speedups.writeTransaction(async (trx) => {
        try {
          await queries.insertPayment(trx, row);
        } catch (error) {
          if (engine.isUniqueViolation(error)) {
            throw new PaybridgeError('CONFLICT', 'A payment with this id already exists', {
              details: { paymentId: payment.id },
            });
          }
          throw error;
        }
        await queries.insertTransitions(trx, [transitionToRow(transition)]);
        await writeRefunds(trx, payment);
      });
      speedups.remember(payment, row);
    },

    getPayment: async (id) => {
      const row = await queries.selectPayment(db, id);
      return row ? speedups.handOut(row) : null;
    },

    findPaymentByExternalId: async (backend, externalId) => {
      const row = await queries.findByExternalId(db, backend, externalId);
      return row ? speedups.handOut(row) : null;
    },

    listPayments: async (query): Promise<Page<Payment>> => {
      const limit = pageSize(query.limit);
      const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | null;
      const rows = await queries.listPayments(db, query, after, limit + 1);
      return toPage(rows, limit, rowToPayment, (last) => [last.created_at, last.id]);
    },

    applyChange: async (request) => {
      const fast = await speedups.applyChange(request);
      if (fast) return fast;
      const result = await applyChange(engine, speedups, request, maxCasRetries);
      speedups.remember(result.payment);
      return result;
    },

    listTransitions: async (paymentId) => {
      const rows = await db
        .selectFrom('paybridge_transitions')
        .selectAll()
        .where('payment_id', '=', paymentId)
        .orderBy('seq', 'asc')
        .execute();
      return rows.map(rowToTransition);
    },

    claimUnemittedTransitions: (limit, { now, leaseMs }) =>
      speedups.writeTransaction(async (trx) => {
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

    markTransitionsEmitted: async (ids) => {
      if (ids.length === 0) return;
      const emittedAt = new Date().toISOString();
      await speedups.write((writer) => queries.markEmitted(writer, ids, emittedAt));
    },

    appendMessage: (message) => appendMessage(speedups, message),
    updateMessage: (id, patch) => updateMessage(speedups, id, patch),
    listMessages: (query) => listMessages(engine, query),
  };

  return {
    name,
    dialect: engine.dialect,
    db,
    migrate: () => storeCall(name, 'migrate', migrate),
    migrationStatus: () => storeCall(name, 'migrationStatus', () => readMigrationStatus(engine)),
    ...afterMigration(operations),
    close: () => engine.close(),
  };
}
