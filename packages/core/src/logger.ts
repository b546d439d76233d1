export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A console logger printing one JSON line per record at or above `level`. */
export function consoleLogger(level: LogLevel = 'info'): Logger {
  const emit = (at: LogLevel) => (message: string, data?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const line = JSON.stringify({ level: at, msg: `paybridge: ${message}`, ...data });
    if (at === 'error') console.error(line);
    else if (at === 'warn') console.warn(line);
    else console.log(line);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function serialize(data: Record<string, unknown>): string {
  try {
    return JSON.stringify(data, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value instanceof Error ? String(value) : value,
    );
  } catch {
    return JSON.stringify({ unserializable: String(Object.keys(data)) });
  }
}

function redactData(
  data: Record<string, unknown>,
  redact: (text: string) => string,
): Record<string, unknown> {
  const text = redact(serialize(data));
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A redaction landed on JSON punctuation: keep the (redacted) text rather than lose the record.
    return { data: text };
  }
}

/**
 * Wrap a logger so that no configured secret value ever reaches it, and so that logging can never
 * break payment processing (a throwing custom logger, data that does not serialize).
 */
export function redactingLogger(inner: Logger, redact: (text: string) => string): Logger {
  const wrap =
    (fn: Logger['info']) =>
    (message: string, data?: Record<string, unknown>): void => {
      try {
        fn(redact(message), data === undefined ? undefined : redactData(data, redact));
      } catch {
        // Nothing sensible to do: the logger itself failed.
      }
    };
  return {
    debug: wrap(inner.debug.bind(inner)),
    info: wrap(inner.info.bind(inner)),
    warn: wrap(inner.warn.bind(inner)),
    error: wrap(inner.error.bind(inner)),
  };
}
