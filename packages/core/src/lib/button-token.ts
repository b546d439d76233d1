import { z } from 'zod';
import type { ButtonConfig } from '../button';
import { PaybridgeError } from '../errors';
import { assertCurrency } from '../money';
import { fromBase64Url, timingSafeEqual, toBase64Url, utf8 } from './bytes';
import { memoized } from './memoized';
import { hmacSha256 } from './web-crypto';

/** A button's configuration as signed: built on first use (memoized), not when core is imported. */
const buttonConfigSchema = memoized(() => {
  const recurrenceSchema = z.object({
    interval: z.enum(['day', 'week', 'month', 'year']),
    every: z.number().int().min(1).max(366),
    cycles: z.number().int().min(1).optional(),
  });
  return z.object({
    reference: z.string().min(1).max(128),
    orderDate: z.string().max(64).optional(),
    email: z.string().email().max(254).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2}$/)
      .optional(),
    options: z
      .array(
        z.object({
          id: z.string().max(64).optional(),
          description: z.string().min(1).max(255),
          amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
          currency: z.string().refine((c) => {
            try {
              assertCurrency(c);
              return true;
            } catch {
              return false;
            }
          }, 'not an ISO 4217 currency'),
          recurrence: recurrenceSchema.nullable().optional(),
          customFields: z.record(z.string(), z.string().max(1024)).optional(),
        }),
      )
      .min(1)
      .max(20),
    paymentOptions: z.object({ backends: z.array(z.string()).optional() }).optional(),
    imageUrl: z.string().url().optional(),
    text: z.string().max(255).optional(),
    backUrl: z.string().url().optional(),
    acceptedUrl: z.string().url().optional(),
    declinedUrl: z.string().url().optional(),
    expiresAt: z.string().datetime().nullable().optional(),
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
