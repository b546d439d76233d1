import { PaybridgeError } from '../errors';

/** Bodies handed over by an adapter (HandlerOptions.body), read instead of `request.body`. */
const supplied = new WeakMap<Request, AsyncIterable<Uint8Array>>();

/** Makes `readBody(request)` read `body` instead of `request.body` (the adapter's cheaper source). */
export function supplyBody(request: Request, body: AsyncIterable<Uint8Array>): void {
  supplied.set(request, body);
}

const tooLarge = (limit: number) =>
  new PaybridgeError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`, { details: { limit } });

/** Read the body once, as bytes, refusing more than `limit` bytes without buffering them. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const source = supplied.get(request);
  if (source) {
    supplied.delete(request);
    return fromIterable(source, limit);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

async function fromIterable(source: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early ends the source (a Node stream is destroyed, as a cancelled reader would be).
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return concat(chunks, size);
}

/** One plain Uint8Array of its own (a Node Buffer chunk may share a pooled ArrayBuffer). */
function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
