import { PaybridgeError } from './errors';
import { getBackend, type Runtime } from './lib/runtime';
import { handleNotification } from './notification-pipeline';
import type { GatewayMessage, GatewayMessagePatch, NewGatewayMessage, PaymentStore } from './store';

/** What re-running a logged notification did. */
export interface ReplayResult {
  /** The logged message that was re-run. */
  replayedMessageId: string;
  /** The message log record of the re-run itself (null when the log could not be written). */
  messageId: string | null;
  /** The status code the pipeline answered, as the broker would have received it. */
  status: number;
  /** The re-run's verdict and outcome, as recorded in the message log (`duplicate` when nothing was new). */
  verdict: GatewayMessage['verdict'];
  outcome: string | null;
  paymentId: string | null;
}

/** Headers that describe the original transfer, not the message; the new Request sets its own. */
const TRANSFER_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'host']);
const PAGE = 500;

async function findInbound(store: PaymentStore, id: string): Promise<GatewayMessage | null> {
  let cursor: string | undefined;
  for (;;) {
    const page = await store.listMessages({
      direction: 'inbound',
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    const found = page.items.find((m) => m.id === id);
    if (found) return found;
    if (!page.nextCursor) return null;
    cursor = page.nextCursor;
  }
}

function decodeBody(message: GatewayMessage): Uint8Array {
  if (message.bodyEncoding === 'utf8') return new TextEncoder().encode(message.body);
  return Uint8Array.from(atob(message.body), (c) => c.charCodeAt(0));
}

/**
 * Re-runs a logged inbound notification through the one notification pipeline, as if the broker had
 * sent it again (after fixing a key, say): verified again, applied by the same event-id rules, so a
 * message already applied changes nothing (`duplicate`). The re-run is logged as a new record whose
 * detail names the original.
 */
export async function replayMessage(
  runtime: Runtime,
  baseUrl: string,
  messageId: string,
): Promise<ReplayResult> {
  const message = await findInbound(runtime.store, messageId);
  if (!message)
    throw new PaybridgeError('UNKNOWN_MESSAGE', `no inbound message ${messageId} in the message log`);
  if (message.kind !== 'notification')
    throw new PaybridgeError(
      'BAD_REQUEST',
      `message ${messageId} is a ${message.kind}, not a notification: only notifications can be replayed`,
    );
  if (message.detail?.includes('body truncated'))
    throw new PaybridgeError(
      'BAD_REQUEST',
      `message ${messageId} was logged cut to the log's body limit: its bytes cannot be replayed`,
    );
  const backend = getBackend(runtime, message.backend);
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (!TRANSFER_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  }
  const hasBody = message.method !== 'GET' && message.method !== 'HEAD';
  const request = new Request(message.url, {
    method: message.method,
    headers,
    ...(hasBody ? { body: decodeBody(message) as BodyInit } : {}),
  });

  // Observe the re-run's own log record (its id and verdict) without changing the pipeline: the first
  // inbound record it appends. Calls the pipeline makes meanwhile (verify-or-pull asking the broker)
  // are logged too, as outbound records, and are not the re-run.
  let record: { id: string | null; patch: GatewayMessagePatch } = { id: null, patch: {} };
  const store = new Proxy(runtime.store, {
    get(target, key) {
      if (key === 'appendMessage')
        return async (entry: NewGatewayMessage) => {
          const saved = await target.appendMessage(entry);
          if (record.id === null && entry.direction === 'inbound') record = { id: saved.id, patch: {} };
          return saved;
        };
      if (key === 'updateMessage')
        return async (id: string, patch: GatewayMessagePatch) => {
          if (id === record.id) record.patch = { ...record.patch, ...patch };
          return target.updateMessage(id, patch);
        };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const response = await handleNotification({
    runtime: { ...runtime, store },
    backend,
    request,
    baseUrl,
    clientIp: null,
  });
  await response.body?.cancel();
  if (record.id !== null) {
    const detail = [`replay of ${messageId}`, record.patch.detail].filter(Boolean).join('; ');
    await runtime.store.updateMessage(record.id, { detail });
  }
  return {
    replayedMessageId: messageId,
    messageId: record.id,
    status: response.status,
    verdict: record.patch.verdict ?? null,
    outcome: record.patch.outcome ?? null,
    paymentId: record.patch.paymentId ?? message.paymentId,
  };
}
