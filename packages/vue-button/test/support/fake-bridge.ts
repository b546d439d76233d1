import type { FetchLike } from '../../src/types';

export interface RecordedCall {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

type Answer = { status?: number; json?: unknown; body?: string } | Error;
type Route = (call: RecordedCall) => Answer | Promise<Answer>;

/**
 * A stand-in for the bridge's HTTP API: routes by method and path, records every call, and answers
 * real `Response`s, so the components' parsing is exercised as in a browser.
 */
export function fakeBridge(routes: Record<string, Route>) {
  const calls: RecordedCall[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const url = new URL(input, 'https://shop.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : null;
    const call = { method, url, headers: new Headers(init.headers), body };
    calls.push(call);
    const path = url.pathname.replace(/^\/payments/, '');
    const route = routes[`${method} ${path}`] ?? routes[`${method} ${path.replace(/\/[^/]+$/, '/:id')}`];
    const answer: Answer = route
      ? await route(call)
      : { status: 404, json: { error: { code: 'NOT_FOUND', message: 'No such route' } } };
    if (answer instanceof Error) throw answer;
    return new Response(answer.body ?? JSON.stringify(answer.json), {
      status: answer.status ?? 200,
      headers: { 'content-type': answer.body ? 'text/html' : 'application/json' },
    });
  };
  return { fetch, calls };
}

export const backendsAnswer = (available: string[], unavailable: Record<string, string> = {}) => ({
  json: {
    available: available.map((id) => ({ id, displayName: id.toUpperCase(), testMode: true })),
    unavailable: Object.entries(unavailable).map(([id, message]) => ({
      id,
      displayName: id.toUpperCase(),
      reasons: [{ code: 'CURRENCY', message }],
    })),
  },
});
