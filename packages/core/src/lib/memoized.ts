/**
 * `build` run on the first call only, its result kept: for what the root entry would otherwise build
 * at import (zod schemas mostly — building them is most of what importing core costs), so that
 * importing costs nothing a route or an operation does not use.
 */
export function memoized<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
