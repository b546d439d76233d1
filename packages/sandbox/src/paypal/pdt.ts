import { PAYPAL_PLAIN_TEXT, withOwnHeaders } from '../lib/response';
import { newVerifySign } from './ids';
import { decodePairs, encodeForm, type FormPairs, type PaypalCharset, type RawPair } from './ipn-encoding';

/**
 * Auto Return and Payment Data Transfer (protocol reference §4, §10). With Auto Return on, the buyer
 * always comes back with a GET whatever `rm` says; with PDT on too, that GET carries `tx`, `st`, `amt`,
 * `cc`, `cm`, `item_number` and `sig`, and the shop can fetch the transaction once more with
 * `cmd=_notify-synch&tx=…&at=<identity token>`.
 */
export interface PaypalAutoReturn {
  /** PDT on, with this identity token (`at`). Absent: Auto Return without PDT (a bare GET). */
  pdtIdentityToken?: string;
}

/** A transaction can be looked up this many times, then FAIL (anti-replay, §10). */
export const PDT_MAX_LOOKUPS = 5;

export interface PdtOptions {
  identityToken: string;
  charset: () => PaypalCharset;
  /** The transaction's variables as they stand now (same names as the IPN), or undefined. */
  transaction: (txnId: string) => FormPairs | undefined;
}

const fieldOf = (fields: FormPairs, name: string) => fields.find(([key]) => key === name)?.[1];

export function createPdt(options: PdtOptions) {
  const lookups = new Map<string, number>();

  return {
    /** Query variables of the Auto Return GET for a payment whose IPN carried `fields`. */
    returnParams(fields: FormPairs): Record<string, string> {
      const params: Record<string, string> = {};
      for (const [param, name] of [
        ['tx', 'txn_id'],
        ['st', 'payment_status'],
        ['amt', 'mc_gross'],
        ['cc', 'mc_currency'],
        ['cm', 'custom'],
        ['item_number', 'item_number'],
      ] as const) {
        const value = fieldOf(fields, name);
        if (value !== undefined) params[param] = value;
      }
      params.sig = newVerifySign();
      return params;
    },

    /** The `cmd=_notify-synch` answer: `SUCCESS` then one form-encoded `key=value` per line, or `FAIL`. */
    answer(pairs: RawPair[]): Response {
      const request = Object.fromEntries(decodePairs(pairs, 'windows-1252'));
      const txnId = request.tx ?? '';
      const fields = request.at === options.identityToken ? options.transaction(txnId) : undefined;
      const count = (lookups.get(txnId) ?? 0) + 1;
      if (fields) lookups.set(txnId, count);
      if (!fields || count > PDT_MAX_LOOKUPS) {
        return withOwnHeaders('FAIL\nError: 4003', 200, PAYPAL_PLAIN_TEXT);
      }
      const charset = options.charset();
      const lines = [['charset', charset] as [string, string], ...fields].map((pair) =>
        new TextDecoder('latin1').decode(encodeForm([pair], charset)),
      );
      return withOwnHeaders(`SUCCESS\n${lines.join('\n')}`, 200, PAYPAL_PLAIN_TEXT);
    },
  };
}

export type Pdt = ReturnType<typeof createPdt>;
