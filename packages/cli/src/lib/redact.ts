import type { Paybridge } from '@paybridge/core';

const HIDDEN = '[REDACTED]';

/**
 * The last line of defence before anything reaches the terminal: every configured secret (and its
 * URL- and JSON-escaped forms) replaced. The message log is redacted when written; this also covers
 * rows written under an older configuration that shared a secret with this one.
 */
export function secretRedactor(bridge: Paybridge): (text: string) => string {
  const needles = [
    ...new Set(
      bridge
        .backends()
        .flatMap(({ backend }) => backend.secrets)
        .filter((s) => typeof s === 'string' && s.length >= 4)
        .flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]),
    ),
  ].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(HIDDEN);
    return out;
  };
}
