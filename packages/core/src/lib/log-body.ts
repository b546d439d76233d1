import { bytesForLog } from './bytes';
import type { Runtime } from './runtime';

/** A body as the message log keeps it: redacted text (or base64), whole or cut to the runtime's limit. */
export interface LoggedBody {
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  /** Set when the body was cut: what the log row's `detail` says about it. */
  truncated: string | null;
}

/**
 * The log row's body. `whole` for a verified broker message (the evidence, kept byte for byte);
 * otherwise — forged, unverifiable, a customer's return: anyone can send those — only the first
 * `logBodyLimitBytes` are kept (cut on a UTF-8 character boundary) and the cut is counted in the
 * row's detail, so a flood of large bodies cannot fill the log.
 */
export function logBody(runtime: Runtime, bytes: Uint8Array, whole: boolean): LoggedBody {
  const limit = runtime.logBodyLimitBytes;
  let kept = bytes;
  let truncated: string | null = null;
  if (!whole && bytes.length > limit) {
    let end = limit;
    // Back off continuation bytes (10xxxxxx) so that a UTF-8 body stays readable text.
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    kept = bytes.subarray(0, end);
    truncated = `body truncated: ${end} of ${bytes.length} bytes kept (${bytes.length - end} cut)`;
  }
  const logged = bytesForLog(kept);
  return {
    body: logged.bodyEncoding === 'utf8' ? runtime.redactor.text(logged.body) : logged.body,
    bodyEncoding: logged.bodyEncoding,
    truncated,
  };
}
