import { describe, expect, it } from 'vitest';
import type { ButtonConfig } from '../src/button';
import type { PaybridgeConfig } from '../src/config';
import { dummy } from '../src/dummy-backend';
import { toBase64Url, utf8 } from '../src/lib/bytes';
import { hmac } from '../src/lib/hashes';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';

const SECRET = 'button-secret-of-at-least-32-characters!';
const HOUR = 3600 * 1000;
const button: ButtonConfig = {
  reference: 'INV-9',
  options: [{ description: 'A book', amount: 1999, currency: 'EUR' }],
};

function bridgeAt(config: Partial<PaybridgeConfig> = {}) {
  let t = Date.UTC(2026, 11, 6, 12);
  const bridge = createPaybridge({
    baseUrl: 'https://shop.example/payments',
    backends: [dummy()],
    secret: SECRET,
    logger: silentLogger,
    outboxPollSeconds: 0,
    now: () => new Date(t),
    ...config,
  });
  return { bridge, advance: (ms: number) => (t += ms) };
}
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: Error) => error.message,
  );

describe('payment button lifetime', () => {
  it('issue 14 item 5: a button without expiresAt expires 24 h after it was signed', async () => {
    const { bridge, advance } = bridgeAt();
    const token = await bridge.signButton(button);
    expect((await bridge.verifyButton(token)).expiresAt).toBe('2026-12-07T12:00:00.000Z');
    advance(24 * HOUR);
    expect(await refusal(bridge.verifyButton(token))).toBe('accepted');
    advance(1000);
    expect(await refusal(bridge.verifyButton(token))).toBe('invalid payment button: expired');
  });

  it('the lifetime is configurable, and null opts out explicitly (per bridge or per button)', async () => {
    const short = bridgeAt({ buttonTtlSeconds: 60 });
    const token = await short.bridge.signButton(button);
    short.advance(61_000);
    expect(await refusal(short.bridge.verifyButton(token))).toBe('invalid payment button: expired');

    const forever = bridgeAt({ buttonTtlSeconds: null });
    const printed = await forever.bridge.signButton(button);
    forever.advance(5 * 365 * 24 * HOUR);
    expect(await forever.bridge.verifyButton(printed)).toMatchObject({ expiresAt: null });

    const one = bridgeAt();
    const mine = await one.bridge.signButton({ ...button, expiresAt: null });
    one.advance(365 * 24 * HOUR);
    expect(await refusal(one.bridge.verifyButton(mine))).toBe('accepted');
    // A merchant's own date wins over the default.
    const dated = await one.bridge.signButton({ ...button, expiresAt: '2027-12-06T13:00:00.000Z' });
    expect(await refusal(one.bridge.verifyButton(dated))).toBe('accepted');
  });

  it('a token signed without any lifetime (before this default existed) is refused', async () => {
    const { bridge } = bridgeAt();
    const payload = toBase64Url(utf8(JSON.stringify(button)));
    const mac = toBase64Url(await hmac('SHA-256', utf8(SECRET), utf8(`pb1.${payload}`)));
    expect(await refusal(bridge.verifyButton(`${payload}.${mac}`))).toMatch(
      /expired \(signed without a lifetime/,
    );
  });

  it('refuses a lifetime that is not a positive number of seconds', () => {
    expect(() => bridgeAt({ buttonTtlSeconds: 0 })).toThrow(
      /buttonTtlSeconds: must be a positive integer, or null/,
    );
  });
});
