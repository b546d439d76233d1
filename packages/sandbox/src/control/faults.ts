import { ControlError, type JsonInput } from './http';

/** What each fault switch accepts over HTTP; anything else is refused, so a typo never passes silently. */
type Check = (value: unknown) => boolean;

const count: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 100;
const ms: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 10 * 60_000;
const bool: Check = (v) => typeof v === 'boolean';
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const stringRecord =
  (keys: string[] | null): Check =>
  (v) =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.entries(v).length <= 20 &&
    Object.entries(v).every(
      ([key, value]) =>
        (keys === null ? /^[A-Za-z0-9_-]{1,40}$/.test(key) : keys.includes(key)) &&
        typeof value === 'string' &&
        value.length <= 200,
    );

const FAULT_SCHEMAS: Record<'paypal' | 'payu' | 'cmcic' | 'stripe', Record<string, Check>> = {
  paypal: {
    duplicate: count,
    reorder: bool,
    delayMs: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
    postback: oneOf('normal', 'INVALID', 'timeout', 'error500', 'error400', 'fatal-html'),
    postbackHangMs: ms,
    postbackDelayMs: ms,
    omitEot: bool,
    tamper: stringRecord(['mc_gross', 'mc_currency', 'receiver_email', 'receiver_id']),
    charset: oneOf('windows-1252', 'UTF-8'),
    apiError: (v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
      const { status, remaining, ...rest } = v as Record<string, unknown>;
      return (status === 500 || status === 503) && count(remaining) && Object.keys(rest).length === 0;
    },
    apiTimeoutMs: ms,
    apiFailure: (v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
      const { code, remaining, ...rest } = v as Record<string, unknown>;
      return (
        typeof code === 'string' && /^\d{5}$/.test(code) && count(remaining) && Object.keys(rest).length === 0
      );
    },
  },
  payu: {
    duplicate: count,
    staleCanceledAfterCompleted: bool,
    reorder: bool,
    signature: oneOf('valid', 'forged', 'missing', 'sha256'),
    apiError: (v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
      const { status, remaining, ...rest } = v as Record<string, unknown>;
      return (status === 500 || status === 503) && count(remaining) && Object.keys(rest).length === 0;
    },
    apiTimeoutMs: ms,
    apiLateAnswerMs: ms,
    refundWithoutAmount: bool,
  },
  cmcic: {
    duplicate: count,
    badMac: bool,
    ackTimeoutMs: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 10 * 60_000,
    extraFields: stringRecord(null),
    apiProblem: count,
  },
  stripe: {
    duplicate: count,
    reorder: bool,
    signature: oneOf('valid', 'forged', 'missing', 'stale'),
    staleBySeconds: (v) =>
      typeof v === 'number' && Number.isSafeInteger(v) && v >= 301 && v <= 30 * 24 * 3600,
    apiError: (v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
      const { status, remaining, retryAfterSeconds, ...rest } = v as Record<string, unknown>;
      return (
        (status === 429 || status === 500 || status === 502 || status === 503) &&
        count(remaining) &&
        (retryAfterSeconds === undefined || (count(retryAfterSeconds) && status === 429)) &&
        Object.keys(rest).length === 0
      );
    },
  },
};

export const FAULT_BROKERS = Object.keys(FAULT_SCHEMAS) as Array<keyof typeof FAULT_SCHEMAS>;

/** Checks a whole faults object for `broker`; `null` values switch a fault off. */
export function validFaults(broker: keyof typeof FAULT_SCHEMAS, input: JsonInput): Record<string, unknown> {
  const schema = FAULT_SCHEMAS[broker];
  const faults: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const check = Object.hasOwn(schema, name) ? schema[name] : undefined;
    if (!check) {
      throw new ControlError(
        'CONTROL_INVALID_INPUT',
        `unknown ${broker} fault "${name.slice(0, 40)}" (known: ${Object.keys(schema).join(', ')})`,
      );
    }
    if (value === null) continue;
    if (!check(value))
      throw new ControlError('CONTROL_INVALID_INPUT', `invalid value for the ${broker} fault ${name}`);
    faults[name] = value;
  }
  return faults;
}

/** Replaces the simulator's faults in place (the simulators hold on to the same object). */
export function replaceFaults(target: object, faults: Record<string, unknown>): void {
  const record = target as Record<string, unknown>;
  for (const key of Object.keys(record)) delete record[key];
  Object.assign(record, faults);
}
