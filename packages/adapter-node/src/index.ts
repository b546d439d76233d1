import type { ServerResponse } from 'node:http';
import type { Paybridge } from '@paybridge/core';
import {
  mountPath,
  NodeAdapterError,
  type NodeRequest,
  requestBody,
  requestHeaders,
  requestUrl,
} from './request';
import { writeResponse } from './response';

export { NodeAdapterError, type NodeRequest } from './request';

/** Express's `next`, Connect's, or any callback taking an error the handler could not answer. */
export type NextFunction = (error?: unknown) => void;

/** The bridge as a Node request listener: `http.createServer(handler)`, `app.use('/payments', handler)`. */
export type NodeHandler = (req: NodeRequest, res: ServerResponse, next?: NextFunction) => Promise<void>;

/** Reads the unread body without destroying the socket when the bridge stops early (a 413 must reach the client). */
function keepSocket(body: AsyncIterable<Uint8Array>, req: NodeRequest): AsyncIterable<Uint8Array> {
  if (body !== req) return body;
  const iterator = (
    req as { iterator?: (options: { destroyOnReturn: boolean }) => AsyncIterable<Uint8Array> }
  ).iterator;
  return typeof iterator === 'function' ? iterator.call(req, { destroyOnReturn: false }) : req;
}

function errorResponse(error: NodeAdapterError): Response {
  return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status });
}

/**
 * The bridge as a `(req, res)` handler for `node:http`, Express, Fastify (`reply.hijack()` then
 * `handler(request.raw, reply.raw)`) and NestJS. The raw body is read once, by the bridge, under its
 * `maxBodyBytes`; the client IP is the socket's peer (the bridge trusts `X-Forwarded-For` only from
 * its `trustProxy` addresses); Express's mount path (`app.use`, or a route ending in a wildcard) is
 * kept and told to the bridge (elsewhere, e.g. under Fastify, set the bridge's `basePath` or `baseUrl`).
 */
export function toNodeHandler(bridge: Pick<Paybridge, 'handler'>): NodeHandler {
  return async function paybridgeNodeHandler(req, res, next) {
    let response: Response;
    let body: AsyncIterable<Uint8Array> | undefined;
    try {
      const url = requestUrl(req);
      body = requestBody(req);
      const request = new Request(url, { method: req.method ?? 'GET', headers: requestHeaders(req) });
      const clientIp = req.socket?.remoteAddress ?? null;
      response = await bridge.handler(request, {
        clientIp,
        basePath: mountPath(req),
        ...(body ? { body: keepSocket(body, req) } : {}),
      });
    } catch (error) {
      if (!(error instanceof NodeAdapterError)) {
        if (next) return next(error);
        throw error;
      }
      // Logged here because the bridge never saw this request; the message names no secret.
      console.error(`[paybridge] ${error.code}: ${error.message}`);
      response = errorResponse(error);
    }
    const unreadRest = body === req && req.readableDidRead && !req.readableEnded;
    try {
      await writeResponse(res, response, { head: req.method === 'HEAD', closeConnection: unreadRest });
    } catch (error) {
      if (next && !res.headersSent) return next(error);
    }
  };
}
