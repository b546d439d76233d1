import type { Paybridge, PaymentBackend, PaymentStore } from '@paybridge/core';

export interface Check {
  status: 'ok' | 'warn' | 'fail';
  /** What was checked: `baseUrl`, `store`, `payu: endpoint`… */
  subject: string;
  detail: string;
  /** What to do, for a warning or a failure. */
  fix?: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export function checkBaseUrl(baseUrl: string | null): Check {
  const subject = 'baseUrl';
  if (!baseUrl)
    return {
      status: 'warn',
      subject,
      detail: 'not set: the bridge derives its URL from each request',
      fix: 'set baseUrl to the public https URL the bridge is served at (setup, reconcile and operations outside a request need it)',
    };
  const url = new URL(baseUrl);
  if (url.protocol === 'https:') return { status: 'ok', subject, detail: `${baseUrl} (https)` };
  if (LOOPBACK.test(url.hostname))
    return {
      status: 'warn',
      subject,
      detail: `${baseUrl} is plain http on this machine: fine with the sandbox, brokers in production reach only https`,
      fix: 'use an https baseUrl before going live',
    };
  return {
    status: 'fail',
    subject,
    detail: `${baseUrl} is plain http: brokers refuse (or leak) notifications and returns over it`,
    fix: 'serve the bridge over https and set baseUrl to its https:// URL',
  };
}

export function checkBackend(backend: PaymentBackend, testMode: boolean): Check[] {
  const mode = testMode ? 'test mode' : 'LIVE mode';
  const checks: Check[] = [
    { status: 'ok', subject: backend.id, detail: `${backend.displayName}: settings valid, ${mode}` },
  ];
  for (const missing of backend.missingCredentials ?? []) {
    checks.push({
      status: 'warn',
      subject: `${backend.id}: ${missing.setting}`,
      detail: `${missing.message} (would enable: ${missing.operations.join(', ')})`,
      fix: `add \`${missing.setting}\` to the ${backend.id} backend's settings`,
    });
  }
  return checks;
}

/** A store's own view of its schema (@paybridge/store-sql's `migrationStatus`), when it has one. */
export interface MigratableStore extends PaymentStore {
  migrate(): Promise<{ applied: number[]; version: number }>;
  migrationStatus(): Promise<{ version: number; pending: Array<{ version: number; name: string }> }>;
}

export function isMigratable(store: PaymentStore): store is MigratableStore {
  const s = store as Partial<MigratableStore>;
  return typeof s.migrate === 'function' && typeof s.migrationStatus === 'function';
}

export async function checkStore(store: PaymentStore): Promise<Check> {
  const subject = `store (${store.name})`;
  try {
    if (isMigratable(store)) {
      const status = await store.migrationStatus();
      if (status.pending.length)
        return {
          status: 'fail',
          subject,
          detail: `reachable, schema version ${status.version}, ${status.pending.length} migration(s) pending: ${status.pending.map((m) => `${m.version} ${m.name}`).join(', ')}`,
          fix: 'run `paybridge migrate` (or let the store migrate at start-up)',
        };
      return { status: 'ok', subject, detail: `reachable, migrated (schema version ${status.version})` };
    }
    await store.listPayments({ limit: 1 });
    return { status: 'ok', subject, detail: 'reachable (this store has no migrations)' };
  } catch (error) {
    return {
      status: 'fail',
      subject,
      detail: `unreachable: ${error instanceof Error ? error.message : String(error)}`,
      fix: "check the store's connection settings in the config and that the database is running",
    };
  }
}

/** The broker host this backend talks to: its `endpoint` override, else the test or live host. */
export function brokerEndpoint(backend: PaymentBackend, testMode: boolean): string {
  return backend.endpoint ?? (testMode ? backend.endpoints.test : backend.endpoints.live);
}

/** Online: any HTTP answer from the broker's host proves it reachable (DNS, TLS, routing, firewall). */
export async function checkEndpoint(
  backend: PaymentBackend,
  testMode: boolean,
  timeoutMs: number,
): Promise<Check> {
  const url = brokerEndpoint(backend, testMode);
  const subject = `${backend.id}: endpoint`;
  try {
    const response = await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { status: 'ok', subject, detail: `${url} reachable (HTTP ${response.status})` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return {
      status: 'fail',
      subject,
      detail: `${url} unreachable: ${reason}`,
      fix: 'check the network and firewall, and the backend’s `endpoint` setting',
    };
  }
}

/** Every check, offline first, then (unless `offline`) each broker's endpoint. */
export async function runChecks(
  bridge: Paybridge,
  options: { offline: boolean; timeoutMs: number },
): Promise<Check[]> {
  const backends = bridge.backends();
  const checks: Check[] = [
    { status: 'ok', subject: 'config', detail: `loaded, ${backends.length} backend(s)` },
    checkBaseUrl(bridge.baseUrl),
    ...backends.flatMap(({ backend, testMode }) => checkBackend(backend, testMode)),
    await checkStore(bridge.store),
  ];
  if (!options.offline)
    checks.push(
      ...(await Promise.all(
        backends.map(({ backend, testMode }) => checkEndpoint(backend, testMode, options.timeoutMs)),
      )),
    );
  return checks;
}
