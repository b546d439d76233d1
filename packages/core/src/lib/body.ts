import { PaybridgeError } from '../errors';

/** Read the body once, as bytes, refusing more than `limit` bytes without buffering them. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    throw new PaybridgeError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`, { details: { limit } });
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
      throw new PaybridgeError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`, {
        details: { limit },
      });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
