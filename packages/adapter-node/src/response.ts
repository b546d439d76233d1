import type { ServerResponse } from 'node:http';

/** Waits until `res` can take more, or fails when the client went away. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', done);
      reject(new Error('client closed the connection'));
    };
    res.once('drain', done);
    res.once('close', closed);
  });
}

/**
 * Writes a web `Response` to Node's response: status, every header (each Set-Cookie on its own
 * line), then the body streamed with backpressure. `closeConnection` asks the client to close when
 * the request body was left unread (a 413), so its rest is never parsed as a next request.
 */
export async function writeResponse(
  res: ServerResponse,
  response: Response,
  options: { head: boolean; closeConnection: boolean },
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    headers[name] = value;
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (options.closeConnection) headers.connection = 'close';
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (options.head || !response.body) {
    await response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch (error) {
    await reader.cancel().catch(() => {});
    res.destroy(error as Error);
  }
}
