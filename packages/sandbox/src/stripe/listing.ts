import type { ApiCall } from './context';
import type { Params } from './form';
import { StripeFailure } from './http';
import type { StripeObject } from './model';

/**
 * `{"object":"list","data":[…],"has_more":…,"url":…}`, newest first, paginated with `limit` (1–100,
 * default 10), `starting_after` / `ending_before` (reference §1.4). `filters` are exact field matches.
 */
export function list(
  call: ApiCall,
  kind: string,
  url: string,
  filters: readonly string[],
): Record<string, unknown> {
  const p = call.params.onlyKnown([...filters, 'limit', 'starting_after', 'ending_before', 'created']);
  const limit = p.integer('limit') ?? 10;
  if (limit < 1 || limit > 100)
    throw StripeFailure.invalid('Invalid limit: must be between 1 and 100', 'limit');
  const wanted = filters.map((f) => [f, p.string(f)] as const).filter(([, v]) => v !== undefined);
  const created = createdRange(p);
  let items = [...call.state.objects.values()]
    .filter((o) => o.account === call.account && o.json.object === kind)
    .map((o) => o.json)
    .filter((o) => wanted.every(([f, v]) => o[f] === v) && created(o.created as number))
    .reverse();
  const after = p.string('starting_after');
  const before = p.string('ending_before');
  if (after) {
    const at = items.findIndex((o) => o.id === after);
    if (at < 0) throw StripeFailure.missing(kind, after, 'starting_after');
    items = items.slice(at + 1);
  } else if (before) {
    const at = items.findIndex((o) => o.id === before);
    if (at < 0) throw StripeFailure.missing(kind, before, 'ending_before');
    items = items.slice(Math.max(0, at - limit), at);
  }
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit, url };
}

/** `created=<unix>` or `created[gt|gte|lt|lte]=<unix>` (reconciliation after downtime, reference §5.3). */
function createdRange(p: Params): (created: number) => boolean {
  if (!p.has('created')) return () => true;
  if (typeof p.values.created === 'string') {
    const exact = p.integer('created');
    return (created) => exact === undefined || created === exact;
  }
  const range = p.object('created').onlyKnown(['gt', 'gte', 'lt', 'lte']);
  const [gt, gte, lt, lte] = ['gt', 'gte', 'lt', 'lte'].map((k) => range.integer(k));
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}

/**
 * `expand[]` (reference §1.3): each dotted path replaces an id with its object (same account), up to
 * four levels; `data.` walks into a list's items.
 */
export function expand(call: ApiCall, value: unknown, paths: string[]): unknown {
  const copy = structuredClone(value);
  for (const path of paths) {
    const parts = path.split('.');
    if (parts.length > 4)
      throw StripeFailure.invalid(
        `You cannot expand more than 4 levels of a property. Property: ${path.slice(0, 100)}`,
        'expand',
      );
    walk(call, copy, parts, path);
  }
  return copy;
}

function walk(call: ApiCall, node: unknown, parts: string[], path: string): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(call, item, parts, path);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const [head, ...rest] = parts as [string, ...string[]];
  const record = node as Record<string, unknown>;
  if (!Object.hasOwn(record, head)) {
    throw StripeFailure.invalid(`This property cannot be expanded (${path.slice(0, 100)}).`, 'expand');
  }
  let child = record[head];
  if (typeof child === 'string') {
    const stored = call.state.objects.get(child);
    if (!stored || stored.account !== call.account) {
      throw StripeFailure.invalid(`This property cannot be expanded (${path.slice(0, 100)}).`, 'expand');
    }
    child = structuredClone(stored.json as StripeObject);
    record[head] = child;
  }
  if (rest.length) walk(call, child, rest, path);
}
