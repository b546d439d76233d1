import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

/**
 * How long a client may take, instead of Node's defaults (300 s for a whole request): a client that
 * trickles its headers or body in (slowloris) is cut off after these, not after five minutes.
 */
export interface ServerTimeouts {
  /** Until the request's headers are complete. */
  headersTimeoutMs: number;
  /** Until the whole request (headers and body) is received. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node looks for connections over the first two limits (its default is 30 s). */
  checkIntervalMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
};

export interface ListenOptions {
  port: number;
  hostname: string;
  timeouts?: Partial<ServerTimeouts>;
}

/** Serves `fetch` on Node with the timeouts above; `onListening` runs once the port is open. */
export function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  options: ListenOptions,
  onListening?: () => void,
): Server {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const server = serve(
    {
      fetch,
      port: options.port,
      hostname: options.hostname,
      serverOptions: {
        headersTimeout: timeouts.headersTimeoutMs,
        requestTimeout: timeouts.requestTimeoutMs,
        keepAliveTimeout: timeouts.keepAliveTimeoutMs,
        connectionsCheckingInterval: timeouts.checkIntervalMs,
      },
    },
    onListening,
  ) as Server;
  return server;
}
