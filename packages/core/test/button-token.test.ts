import { describe, expect, it } from 'vitest';
import type { ButtonConfig } from '../src/button';
import { signButton, verifyButton } from '../src/lib/button-token';
import { fromBase64Url, timingSafeEqual, toBase64Url, utf8 } from '../src/lib/bytes';
import { hmac } from '../src/lib/hashes';

const SECRET = 'button-secret-of-at-least-32-characters!';
const NOW = new Date('2026-06-01T12:00:00.000Z');

const button: ButtonConfig = {
  reference: 'INV-7',
  orderDate: '2026-06-01',
  email: 'buyer@example.com',
  language: 'pl',
  options: [
    {
      id: 'm',
      description: 'Monthly',
      amount: 990,
      currency: 'PLN',
      recurrence: { interval: 'month', every: 1, cycles: 12 },
      customFields: { seat: '12A' },
    },
  ],
  paymentOptions: { backends: ['payu'] },
  imageUrl: 'https://shop.example/logo.png',
  text: 'Subscribe',
  backUrl: 'https://shop.example/back',
  acceptedUrl: 'https://shop.example/ok',
  declinedUrl: 'https://shop.example/ko',
  expiresAt: '2026-06-02T00:00:00.000Z',
};

const decode = (token: string) =>
  JSON.parse(new TextDecoder().decode(fromBase64Url(token.split('.')[0] as string))) as Record<
    string,
    unknown
  >;

/** The same token with its configuration changed and the original MAC kept. */
function tampered(token: string, change: (config: ButtonConfig) => void): string {
  const config = decode(token) as unknown as ButtonConfig;
  change(config);
  return `${toBase64Url(utf8(JSON.stringify(config)))}.${token.split('.')[1]}`;
}

describe('signed button tokens', () => {
  it('sign exactly the validated configuration: base64url(JSON).base64url(HMAC-SHA256(secret, "pb1." + payload))', async () => {
    const token = await signButton(SECRET, { ...button, amountOverride: 1 } as ButtonConfig);
    const [payload, mac] = token.split('.') as [string, string];
    expect(decode(token)).toEqual(button);
    expect(decode(token)).not.toHaveProperty('amountOverride');
    const expected = await hmac('SHA-256', utf8(SECRET), utf8(`pb1.${payload}`));
    expect(timingSafeEqual(fromBase64Url(mac), expected)).toBe(true);
    expect(await verifyButton(SECRET, token, NOW)).toEqual(button);
  });

  it.each<[string, (c: ButtonConfig) => void]>([
    ['amount', (c) => ((c.options[0] as { amount: number }).amount = 1)],
    ['currency', (c) => ((c.options[0] as { currency: string }).currency = 'EUR')],
    ['recurrence', (c) => ((c.options[0] as { recurrence: unknown }).recurrence = null)],
    ['description', (c) => ((c.options[0] as { description: string }).description = 'Free')],
    ['custom fields', (c) => ((c.options[0] as { customFields: unknown }).customFields = { seat: '1A' })],
    ['an extra option', (c) => c.options.push({ description: 'Cheap', amount: 1, currency: 'PLN' })],
    ['reference', (c) => (c.reference = 'INV-8')],
    ['order date', (c) => (c.orderDate = '2020-01-01')],
    ['email', (c) => (c.email = 'thief@example.com')],
    ['language', (c) => (c.language = 'en')],
    ['brokers offered', (c) => (c.paymentOptions = { backends: ['dummy'] })],
    ['image URL', (c) => (c.imageUrl = 'https://evil.example/x.png')],
    ['text', (c) => (c.text = 'Free!')],
    ['back URL', (c) => (c.backUrl = 'https://evil.example')],
    ['accepted URL', (c) => (c.acceptedUrl = 'https://evil.example/ok')],
    ['declined URL', (c) => (c.declinedUrl = 'https://evil.example/ko')],
    ['expiry', (c) => (c.expiresAt = '2099-01-01T00:00:00.000Z')],
  ])('refuses a token whose %s was changed', async (_field, change) => {
    const token = await signButton(SECRET, button);
    await expect(verifyButton(SECRET, tampered(token, change), NOW)).rejects.toMatchObject({
      code: 'INVALID_BUTTON',
      message: expect.stringContaining('signature mismatch'),
    });
  });

  it('refuses another secret, a truncated or extended MAC, and malformed tokens', async () => {
    const token = await signButton(SECRET, button);
    const [payload, mac] = token.split('.') as [string, string];
    for (const bad of [
      // The last character of a 32-byte MAC carries 2 unused bits: flipping one keeps the bytes, not the token.
      `${payload}.${mac.slice(0, -1)}${String.fromCharCode(mac.charCodeAt(mac.length - 1) ^ 1)}`,
      `${payload}.${mac.slice(0, 5)}${mac[5] === 'A' ? 'B' : 'A'}${mac.slice(6)}`,
      `${payload}.${mac.slice(0, -2)}`,
      `${payload}.${mac}AA`,
      `${payload}.`,
      `.${mac}`,
      `${payload}.${mac}.x`,
      `${payload}.m+c/`,
      '',
    ]) {
      await expect(verifyButton(SECRET, bad, NOW)).rejects.toMatchObject({ code: 'INVALID_BUTTON' });
    }
    await expect(verifyButton('another-secret-of-at-least-32-chars!!', token, NOW)).rejects.toMatchObject({
      code: 'INVALID_BUTTON',
    });
  });

  it('expires at expiresAt, and only then', async () => {
    const token = await signButton(SECRET, button);
    expect(await verifyButton(SECRET, token, new Date('2026-06-02T00:00:00.000Z'))).toEqual(button);
    await expect(verifyButton(SECRET, token, new Date('2026-06-02T00:00:00.001Z'))).rejects.toMatchObject({
      message: expect.stringContaining('expired'),
    });
  });

  it('refuses to sign an invalid configuration, naming the fields', async () => {
    const error = await signButton(SECRET, {
      ...button,
      options: [{ description: 'x', amount: 9.99, currency: 'EURO' }],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_BUTTON' });
    const fields = (
      (error as { details: { problems: Array<{ field: string }> } }).details.problems ?? []
    ).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['options.0.amount', 'options.0.currency']));
    await expect(signButton(SECRET, { ...button, options: [] })).rejects.toMatchObject({
      code: 'INVALID_BUTTON',
    });
  });

  it('compares MACs in constant time over equal lengths only', () => {
    const a = Uint8Array.from([1, 2, 3, 4]);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3, 4]))).toBe(true);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3, 5]))).toBe(false);
    expect(timingSafeEqual(a, Uint8Array.from([0, 2, 3, 4]))).toBe(false);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});
