import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The secrets the local sandbox shares with the demo's backends. Never constants in the source (anyone
 * who can reach a demo could then sign a PayU "COMPLETED"): generated per data directory on first
 * start, kept there (git-ignored), reused after so open orders and saved cards survive a restart.
 */
export interface LocalKeys {
  /** Per local PayU POS id: its OAuth client secret and its notification "second key". */
  payu: Record<string, { clientSecret: string; secondKey: string }>;
  /** The local CM-CIC terminal's 40-hex-character key. */
  cmcic: string;
  /** Signs the payment buttons when PAYBRIDGE_SECRET is not set. */
  buttonSecret: string;
  /** The local Stripe account's API secret key and the signing secret of its webhook endpoint. */
  stripe: { secretKey: string; webhookSecret: string };
  /** The local Przelewy24 shop's CRC key (signs) and API key (HTTP Basic password). */
  przelewy24: { crc: string; apiKey: string };
  /** The local Flutterwave account's v3 secret key and its webhook secret hash. */
  flutterwave: { secretKey: string; secretHash: string };
}

export const LOCAL_KEYS_FILE = 'sandbox-keys.json';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const schema = z.object({
  payu: z.record(z.string(), z.object({ clientSecret: hex(16), secondKey: hex(16) })),
  cmcic: hex(20),
  buttonSecret: hex(32),
  // Optional when read: a keys file written before Stripe joined the demo is given Stripe keys.
  stripe: z
    .object({
      secretKey: z.string().regex(/^sk_test_[0-9a-f]{48}$/),
      webhookSecret: z.string().regex(/^whsec_[0-9a-f]{64}$/),
    })
    .optional(),
  // Optional when read, like Stripe's: an older keys file is given Przelewy24 keys.
  przelewy24: z.object({ crc: hex(8), apiKey: hex(16) }).optional(),
  // Optional when read, like Stripe's: an older keys file is given Flutterwave keys.
  flutterwave: z
    .object({ secretKey: z.string().regex(/^FLWSECK_TEST-[0-9a-f]{32}-X$/), secretHash: hex(24) })
    .optional(),
});

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

/** Fresh keys for the given local PayU POS ids. */
export function generateLocalKeys(payuPosIds: readonly string[]): LocalKeys {
  return {
    payu: Object.fromEntries(
      payuPosIds.map((id) => [id, { clientSecret: randomHex(16), secondKey: randomHex(16) }]),
    ),
    cmcic: randomHex(20),
    buttonSecret: randomHex(32),
    stripe: generateStripeKeys(),
    przelewy24: { crc: randomHex(8), apiKey: randomHex(16) },
    flutterwave: { secretKey: `FLWSECK_TEST-${randomHex(16)}-X`, secretHash: randomHex(24) },
  };
}

function generateStripeKeys(): LocalKeys['stripe'] {
  return { secretKey: `sk_test_${randomHex(24)}`, webhookSecret: `whsec_${randomHex(32)}` };
}

/**
 * The keys kept in `dataDir`, created (owner-only) on first start. A POS added since is given keys
 * and the file rewritten; a damaged file stops the demo with its path rather than being replaced.
 */
export function localKeysIn(dataDir: string, payuPosIds: readonly string[]): LocalKeys {
  const file = join(dataDir, LOCAL_KEYS_FILE);
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === null) {
    mkdirSync(dataDir, { recursive: true });
    const keys = generateLocalKeys(payuPosIds);
    try {
      // `wx`: two demos starting at once on one folder keep the first one's keys.
      writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      return keys;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return localKeysIn(dataDir, payuPosIds);
    }
  }
  let parsed: z.infer<typeof schema>;
  try {
    parsed = schema.parse(JSON.parse(text));
  } catch {
    throw new Error(`${file} is not a valid keys file: delete it to generate new local sandbox keys`);
  }
  const missing = payuPosIds.filter((id) => !parsed.payu[id]);
  if (missing.length === 0 && parsed.stripe && parsed.przelewy24 && parsed.flutterwave)
    return {
      ...parsed,
      stripe: parsed.stripe,
      przelewy24: parsed.przelewy24,
      flutterwave: parsed.flutterwave,
    };
  const fresh = generateLocalKeys(missing);
  const updated: LocalKeys = {
    ...parsed,
    payu: { ...parsed.payu, ...fresh.payu },
    stripe: parsed.stripe ?? fresh.stripe,
    przelewy24: parsed.przelewy24 ?? fresh.przelewy24,
    flutterwave: parsed.flutterwave ?? fresh.flutterwave,
  };
  writeFileSync(file, `${JSON.stringify(updated, null, 2)}\n`, { mode: 0o600 });
  return updated;
}

export const ADMIN_PASSWORD_FILE = 'admin-password';

/**
 * The admin password kept in `dataDir` (created on first start, owner-only), for a demo started
 * without DEMO_ADMIN_PASSWORD: the admin is never open by default, and the password is never printed.
 */
export function adminPasswordIn(dataDir: string): { password: string; file: string } {
  const file = join(dataDir, ADMIN_PASSWORD_FILE);
  try {
    const password = readFileSync(file, 'utf8').trim();
    if (password.length < 8) throw new Error(`${file} holds a password under 8 characters: delete it`);
    return { password, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomHex(12)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return adminPasswordIn(dataDir);
}
