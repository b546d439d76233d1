import { StripeFailure } from './http';

/** A decoded form value: a string leaf, a nested object (`a[b]=…`) or an indexed list (`a[0]=…`). */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

/**
 * Stripe's v1 encoding (reference §1.3): `application/x-www-form-urlencoded` with bracket nesting,
 * `obj[child]=v`, indexed lists `arr[0]=a`, any depth. Brackets may arrive raw or as %5B/%5D. An
 * object whose keys are exactly 0…n-1 is a list. `key[]=v` appends, as Stripe's Ruby parser does.
 */
export function parseForm(text: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const match = KEY.exec(rawKey);
    if (!match) throw invalidKey(rawKey);
    const path = [
      match[1] as string,
      ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? ''),
    ];
    let node: FormObject = root;
    for (let i = 0; i < path.length; i++) {
      let segment = path[i] as string;
      if (segment === '') segment = String(Object.keys(node).length);
      if (segment === '__proto__' || segment === 'constructor' || segment === 'prototype')
        throw invalidKey(rawKey);
      const last = i === path.length - 1;
      const existing = Object.hasOwn(node, segment) ? node[segment] : undefined;
      if (last) {
        if (existing !== undefined && typeof existing !== 'string') throw invalidKey(rawKey);
        node[segment] = value;
      } else {
        if (existing === undefined) node[segment] = {};
        else if (typeof existing === 'string') throw invalidKey(rawKey);
        node = node[segment] as FormObject;
      }
    }
  }
  return listify(root) as FormObject;
}

function listify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, listify(value[k] as FormValue)] as const);
  const isList = keys.length > 0 && keys.every((k) => /^\d+$/.test(k)) && sameIndices(keys);
  if (isList) return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  return Object.fromEntries(entries);
}

function sameIndices(keys: string[]): boolean {
  const indices = keys.map(Number).sort((a, b) => a - b);
  return indices.every((n, i) => n === i);
}

function invalidKey(key: string): StripeFailure {
  return StripeFailure.invalid(
    `Invalid parameter name: ${key.slice(0, 100)}`,
    key.slice(0, 100),
    'parameter_unknown',
  );
}

/** Typed readers for a parsed body; each names the parameter in Stripe's error when the value is wrong. */
export class Params {
  constructor(
    readonly values: FormObject,
    private readonly prefix = '',
  ) {}

  private name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  /** Rejects parameters the endpoint does not know, as Stripe does ("Received unknown parameter"). */
  onlyKnown(known: readonly string[]): this {
    for (const key of Object.keys(this.values)) {
      if (!known.includes(key)) {
        throw StripeFailure.invalid(
          `Received unknown parameter: ${this.name(key).slice(0, 100)}`,
          this.name(key).slice(0, 100),
        );
      }
    }
    return this;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.values, key);
  }

  string(key: string): string | undefined {
    const value = this.has(key) ? this.values[key] : undefined;
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      throw StripeFailure.invalid(`Invalid string: ${this.name(key)}`, this.name(key));
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === '')
      throw StripeFailure.invalid(
        `Missing required param: ${this.name(key)}.`,
        this.name(key),
        'parameter_missing',
      );
    return value;
  }

  integer(key: string): number | undefined {
    const value = this.string(key);
    if (value === undefined || value === '') return undefined;
    if (!/^-?\d{1,15}$/.test(value)) {
      throw StripeFailure.invalid(
        `Invalid integer: ${value.slice(0, 40)}`,
        this.name(key),
        'parameter_invalid_integer',
      );
    }
    return Number(value);
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined || value === '') return undefined;
    if (value !== 'true' && value !== 'false')
      throw StripeFailure.invalid(`Invalid boolean: ${value.slice(0, 40)}`, this.name(key));
    return value === 'true';
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined || value === '') return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw StripeFailure.invalid(
        `Invalid ${this.name(key)}: must be one of ${allowed.join(', ')}`,
        this.name(key),
      );
    }
    return value as T;
  }

  object(key: string): Params {
    const value = this.has(key) ? this.values[key] : undefined;
    if (value === undefined || value === '') return new Params({}, this.name(key));
    if (typeof value === 'string' || Array.isArray(value))
      throw StripeFailure.invalid(`Invalid object: ${this.name(key)}`, this.name(key));
    return new Params(value, this.name(key));
  }

  list(key: string): Params[] {
    const value = this.has(key) ? this.values[key] : undefined;
    if (value === undefined || value === '') return [];
    if (!Array.isArray(value))
      throw StripeFailure.invalid(`Invalid array: ${this.name(key)}`, this.name(key));
    return value.map((item, i) => {
      if (typeof item === 'string' || Array.isArray(item))
        throw StripeFailure.invalid(`Invalid object: ${this.name(key)}[${i}]`, `${this.name(key)}[${i}]`);
      return new Params(item, `${this.name(key)}[${i}]`);
    });
  }

  strings(key: string): string[] {
    const value = this.has(key) ? this.values[key] : undefined;
    if (value === undefined || value === '') return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw StripeFailure.invalid(`Invalid array: ${this.name(key)}`, this.name(key));
    return value as string[];
  }

  /** `metadata[k]=v`: strings only, Stripe's limits (reference §1.3: 50 keys, 40-char keys, 500-char values). */
  metadata(key = 'metadata'): Record<string, string> {
    const value = this.object(key).values;
    const entries = Object.entries(value);
    if (entries.length > 50)
      throw StripeFailure.invalid('Metadata can have at most 50 keys.', this.name(key));
    for (const [k, v] of entries) {
      if (typeof v !== 'string' || k.length > 40 || v.length > 500) {
        throw StripeFailure.invalid(
          `Invalid metadata value for ${k.slice(0, 40)}`,
          `${this.name(key)}[${k}]`,
        );
      }
    }
    return Object.fromEntries(entries.filter(([, v]) => v !== '')) as Record<string, string>;
  }
}
