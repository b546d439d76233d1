import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJson } from '../src/lib/rows';

/** What a JSON column must hold: the value with every U+0000 (in keys and strings) as U+FFFD. */
function withoutNuls(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD');
  if (Array.isArray(value)) return value.map(withoutNuls);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key.replaceAll('\u0000', '\uFFFD'), withoutNuls(item)]),
    );
  }
  return value;
}

describe('toJson', () => {
  it('writes JSON without U+0000, keys and strings alike, and changes nothing else', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '\u0000', '\\', 'u', '0', 'é', '"') });
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(text, text), (value, nulLike) => {
        for (const input of [value, nulLike, { nested: [nulLike, value] }]) {
          const written = toJson(input);
          expect(written).not.toMatch(/(?<!\\)(\\\\)*\\u0000/);
          expect(JSON.parse(written)).toEqual(withoutNuls(JSON.parse(JSON.stringify(input))));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a literal backslash before "u0000" as text', () => {
    expect(toJson({ plain: 'back\\u0000slash' })).toBe('{"plain":"back\\\\u0000slash"}');
    expect(toJson({ 'k\u0000': 'a\u0000' })).toBe('{"k\uFFFD":"a\uFFFD"}');
  });
});
