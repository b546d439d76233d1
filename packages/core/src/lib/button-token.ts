import * as z from '@paybridge/core/schema';
import type { ButtonConfig } from '../button';
import { PaybridgeError } from '../errors';
import { isCurrencyCode } from '../money';
import { fromBase64Url, timingSafeEqual, toBase64Url, utf8 } from './bytes';
import { memoized } from './memoized';
import { hmacSha256 } from './web-crypto';

/** A button's configuration as signed: built on first use (memoized), not when core is imported. */
const buttonConfigSchema = memoized(() => {
  const recurrenceSchema = z.object({
    interval: z.enum(['day', 'week', 'month', 'year']),
    every: z.int().check(z.gte(1), z.lte(366)),
    cycles: z.optional(z.int().check(z.gte(1))),
  });
  return z.object({
    reference: z.string().check(z.minLength(1), z.maxLength(128)),
    orderDate: z.optional(z.string().check(z.maxLength(64))),
    email: z.optional(z.email().check(z.maxLength(254))),
    language: z.optional(z.string().check(z.regex(/^[a-z]{2}$/))),
    options: z
      .array(
        z.object({
          id: z.optional(z.string().check(z.maxLength(64))),
          description: z.string().check(z.minLength(1), z.maxLength(255)),
          amount: z.int().check(z.positive(), z.lte(Number.MAX_SAFE_INTEGER)),
          currency: z.string().check(z.refine(isCurrencyCode, 'not an ISO 4217 currency')),
          recurrence: z.optional(z.nullable(recurrenceSchema)),
          customFields: z.optional(z.record(z.string(), z.string().check(z.maxLength(1024)))),
        }),
      )
      .check(z.minLength(1), z.maxLength(20)),
    paymentOptions: z.optional(z.object({ backends: z.optional(z.array(z.string())) })),
    imageUrl: z.optional(z.url()),
    text: z.optional(z.string().check(z.maxLength(255))),
    backUrl: z.optional(z.url()),
    acceptedUrl: z.optional(z.url()),
    declinedUrl: z.optional(z.url()),
    expiresAt: z.optional(z.nullable(z.iso.datetime())),
  });
});

/** Lifetime of a button whose configuration sets no `expiresAt` (the bridge's `buttonTtlSeconds`). */
export const DEFAULT_BUTTON_TTL_SECONDS = 24 * 3600;

/**
 * A button token is `base64url(JSON config).base64url(HMAC-SHA256(secret, "pb1." + payload))`:
 * the browser may hold and show it, but any change to an option's amount, currency or recurrence
 * breaks the MAC.
 */
export async function signButton(
  secret: string,
  config: ButtonConfig,
  lifetime: { now: Date; ttlSeconds: number | null } = {
    now: new Date(),
    ttlSeconds: DEFAULT_BUTTON_TTL_SECONDS,
  },
): Promise<string> {
  // Every token carries its end: the merchant's `expiresAt`, else now + the bridge's lifetime, or an
  // explicit null (never) — so a token that leaked from a page cannot be replayed for ever.
  const expiresAt =
    config.expiresAt !== undefined
      ? config.expiresAt
      : lifetime.ttlSeconds === null
        ? null
        : new Date(lifetime.now.getTime() + lifetime.ttlSeconds * 1000).toISOString();
  const parsed = buttonConfigSchema().safeParse({ ...config, expiresAt });
  if (!parsed.success) {
    throw new PaybridgeError(
      'INVALID_BUTTON',
      `invalid button configuration: ${parsed.error.issues[0]?.message}`,
      {
        details: {
          problems: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
        },
      },
    );
  }
  const payload = toBase64Url(utf8(JSON.stringify(parsed.data)));
  const mac = await hmacSha256(secret, utf8(`pb1.${payload}`));
  return `${payload}.${toBase64Url(mac)}`;
}

export async function verifyButton(secret: string, token: string, now: Date): Promise<ButtonConfig> {
  const invalid = (why: string) => new PaybridgeError('INVALID_BUTTON', `invalid payment button: ${why}`);
  if (typeof token !== 'string' || token.length > 64_000) throw invalid('malformed token');
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) throw invalid('malformed token');
  let received: Uint8Array;
  try {
    received = fromBase64Url(mac);
  } catch {
    throw invalid('malformed token');
  }
  // One spelling per MAC: a non-canonical base64url (other trailing bits) is not the token we issued.
  if (toBase64Url(received) !== mac) throw invalid('malformed token');
  const expected = await hmacSha256(secret, utf8(`pb1.${payload}`));
  if (!timingSafeEqual(expected, received)) throw invalid('signature mismatch');
  let config: ButtonConfig;
  try {
    config = buttonConfigSchema().parse(
      JSON.parse(new TextDecoder().decode(fromBase64Url(payload))),
    ) as ButtonConfig;
  } catch {
    throw invalid('unreadable configuration');
  }
  // Signed by a version that had no default lifetime: it may have been valid for ever, so it is not any more.
  if (config.expiresAt === undefined) throw invalid('expired (signed without a lifetime; sign it again)');
  if (config.expiresAt !== null && Date.parse(config.expiresAt) < now.getTime()) throw invalid('expired');
  return config;
}
