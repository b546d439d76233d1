/**
 * `@paybridge/core/schema`: the validation functions core and every paybridge backend build their
 * schemas with — zod 4's tree-shakable `zod/mini` API, named one by one.
 *
 * Why a subpath of core and not `import 'zod'`: importing zod's package entry evaluates all of it
 * (every locale, JSON Schema generation, the classic API), which costs a fresh process 55–65 ms —
 * more than twice `hono`'s whole import. Core's build bundles only the functions named here, once, in
 * a chunk that core and the backends share, with zod's English messages configured in that same chunk.
 * Zod is still the validation library (same parser, same issues, same messages); the types come from
 * the `zod` package, which stays a dependency of core. What is not named here is not used by paybridge:
 * add a name when a schema needs it.
 *
 * @module schema
 */

import { config } from 'zod/mini';
import english from 'zod/v4/locales/en.js';

// zod/mini ships without messages ("Invalid input" for everything) unless a locale is configured.
// This copy of zod is paybridge's own (bundled), so configuring it changes nothing in the app's zod.
config(english());

export {
  _default,
  array,
  boolean,
  check,
  custom,
  discriminatedUnion,
  email,
  endsWith,
  enum,
  extend,
  gt,
  gte,
  includes,
  type infer,
  type input,
  int,
  ipv4,
  ipv6,
  iso,
  length,
  literal,
  looseObject,
  lt,
  lte,
  maxLength,
  minLength,
  multipleOf,
  negative,
  never,
  nonnegative,
  nullable,
  nullish,
  number,
  object,
  omit,
  optional,
  type output,
  parse,
  partial,
  pick,
  pipe,
  positive,
  record,
  refine,
  regex,
  safeParse,
  startsWith,
  strictObject,
  string,
  superRefine,
  toLowerCase,
  toUpperCase,
  transform,
  trim,
  tuple,
  union,
  unknown,
  url,
  type ZodMiniObject,
  type ZodMiniType,
} from 'zod/mini';
export type { $ZodIssue, $ZodType } from 'zod/v4/core';
