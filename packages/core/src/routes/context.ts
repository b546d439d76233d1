import type { Runtime } from '../lib/runtime';

/** What the router hands every route: the request and what it resolved about it once. */
export interface RouteContext {
  runtime: Runtime;
  request: Request;
  url: URL;
  /** The path segments after the route's own (`/notify/:backend` → `[backend]`), percent-decoded. */
  segments: string[];
  /** Public origin + mount path: where brokers and browsers reach the bridge (no trailing slash). */
  baseUrl: string;
  /** The client's address (the peer, or what a trusted proxy forwarded); null when unknown. */
  clientIp: string | null;
}

/** What a route module exports: the answer to one request. */
export type RouteHandler = (ctx: RouteContext) => Promise<Response>;

/**
 * One entry of the route table: the methods it answers (null: the route decides) and its handler,
 * loaded with the other routes when one is first matched (`lib/first-use.ts`).
 */
export interface Route {
  methods: readonly string[] | null;
  load(): Promise<RouteHandler>;
}
