import type { DecodedForm } from './form-encoding';

/** A decoded IPN: ordered pairs plus first-value lookup (names are case-sensitive, §8). */
export interface IpnMessage {
  readonly pairs: DecodedForm['pairs'];
  readonly charset: string;
  /** The first value of `name`; empty strings count as absent (PayPal sends `invoice=` etc.). */
  get(name: string): string | undefined;
}

export function ipnMessage(form: DecodedForm): IpnMessage {
  const first = new Map<string, string>();
  for (const [key, value] of form.pairs) if (!first.has(key)) first.set(key, value);
  return {
    pairs: form.pairs,
    charset: form.charset,
    get(name) {
      const value = first.get(name);
      return value === undefined || value === '' ? undefined : value;
    },
  };
}
