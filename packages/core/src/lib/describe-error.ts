import { isPaybridgeError } from '../errors';

const MAX_CAUSES = 3;

function describeOne(error: unknown): string {
  if (isPaybridgeError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}: ${error.message}${typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : ''}`;
  }
  return String(error);
}

/**
 * An error for a log line, with its chain of causes: a store failure is a STORE_UNAVAILABLE whose
 * `cause` is the driver's error (SQLITE_CANTOPEN, ECONNREFUSED…), and the operator needs that
 * cause in the log (issue 21). Only logs get it: the HTTP answer keeps the code and the message.
 * Log lines go through the redacting logger, so configured secrets never reach the output.
 */
export function describeError(error: unknown): string {
  let text = describeOne(error);
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    text += ` (cause: ${describeOne(cause)})`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}
