import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One keep-alive HTTP/1.1 connection read by hand, the way a reverse proxy reuses it for the next
 * client's request: each answer is framed only by its own Content-Length (or chunks), so bytes a
 * stale length leaves behind would be read as the next answer.
 */
export function keepAliveConnection(port: number) {
  const socket = connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake?.();
  });
  socket.on('error', () => wake?.());

  async function until(ready: () => boolean, timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) return false;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 20);
      });
    }
    return true;
  }

  /** Read exactly one response off the connection; null when none arrives in time. */
  async function read(): Promise<RawResponse | null> {
    if (!(await until(() => buffer.includes('\r\n\r\n')))) return null;
    const end = buffer.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let cursor = end + 4;
    let body: Buffer;
    if (headers['transfer-encoding'] === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const from = cursor;
        if (!(await until(() => buffer.indexOf('\r\n', from) >= 0))) return null;
        const lineEnd = buffer.indexOf('\r\n', from);
        const size = Number.parseInt(buffer.subarray(from, lineEnd).toString('latin1'), 16);
        const start = lineEnd + 2;
        if (!(await until(() => buffer.length >= start + size + 2))) return null;
        cursor = start + size + 2;
        if (size === 0) break;
        parts.push(buffer.subarray(start, start + size));
      }
      body = Buffer.concat(parts);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (!(await until(() => buffer.length >= cursor + length))) return null;
      body = buffer.subarray(cursor, cursor + length);
      cursor += length;
    }
    const rest = buffer.subarray(cursor);
    buffer = Buffer.from(rest);
    return { status: Number(statusLine?.split(' ')[1]), headers, body: body.toString('utf8') };
  }

  return {
    async send(request: string) {
      socket.write(request);
      return read();
    },
    /** Bytes the server sent that no response has claimed (after a short wait). */
    async leftover(waitMs = 100) {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      return buffer.toString('latin1');
    },
    close: () => socket.destroy(),
  };
}

/** A raw HTTP/1.1 form POST that keeps the connection open. */
export function formPost(path: string, body: string): string {
  const bytes = Buffer.byteLength(body);
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${bytes}\r\n\r\n${body}`;
}

export const get = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;
