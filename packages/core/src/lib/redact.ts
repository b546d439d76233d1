const HIDDEN = '[REDACTED]';
const SENSITIVE_HEADERS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-api-key',
]);

/** Fields whose values are credentials wherever they appear (OAuth answers, form bodies). */
const SENSITIVE_FIELDS = ['access_token', 'refresh_token', 'id_token', 'client_secret', 'password'];
const JSON_FIELD = new RegExp(`("(?:${SENSITIVE_FIELDS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');
const FORM_FIELD = new RegExp(`(^|[?&])(${SENSITIVE_FIELDS.join('|')})=[^&\\s]*`, 'g');

/**
 * Removes every secret value from text (also in its URL- and JSON-escaped forms, since secrets
 * travel inside form bodies and JSON), masks credential fields and headers. `secrets` is read on
 * every call, so a backend may add the tokens it obtains at run time.
 */
export function createRedactor(secrets: () => readonly string[]): {
  text(value: string): string;
  headers(headers: Headers | Record<string, string>): Record<string, string>;
} {
  let cachedFrom: readonly string[] = [];
  let needles: string[] = [];
  const currentNeedles = () => {
    const list = secrets();
    if (list.length !== cachedFrom.length || list.some((s, i) => s !== cachedFrom[i])) {
      cachedFrom = [...list];
      needles = [
        ...new Set(
          list
            .filter((s) => typeof s === 'string' && s.length >= 4)
            .flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]),
        ),
      ].sort((a, b) => b.length - a.length);
    }
    return needles;
  };
  const text = (value: string): string => {
    let out = value.replace(JSON_FIELD, `$1"${HIDDEN}"`).replace(FORM_FIELD, `$1$2=${HIDDEN}`);
    for (const needle of currentNeedles()) if (out.includes(needle)) out = out.split(needle).join(HIDDEN);
    return out;
  };
  return {
    text,
    headers(headers) {
      const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
      const out: Record<string, string> = {};
      for (const [name, value] of entries) {
        out[name.toLowerCase()] = SENSITIVE_HEADERS.has(name.toLowerCase())
          ? maskCredential(value)
          : text(value);
      }
      return out;
    },
  };
}

function maskCredential(value: string): string {
  const scheme = /^(\w+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} ${HIDDEN}` : HIDDEN;
}
