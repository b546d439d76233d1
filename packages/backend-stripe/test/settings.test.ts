import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { STRIPE_API_VERSION, stripe } from '../src/index';
import { SECRET_KEY, SETTINGS } from './support/harness';

describe('stripe settings', () => {
  it('accepts a secret key and a webhook secret, pins the API version and lists both as secrets', () => {
    const backend = stripe(SETTINGS);
    expect(backend.id).toBe('stripe');
    expect(backend.secrets).toEqual([SECRET_KEY, SETTINGS.webhookSecret]);
    expect(backend.testMode).toBe(true);
    expect(backend.currencies).toBeNull();
    expect(STRIPE_API_VERSION).toBe('2026-11-18.endive');
    expect(backend.capabilities).toMatchObject({ capture: false, refund: true, recurring: true, pull: true });
  });

  it('pins the API version of the stripe package it was written for, and the README names it', () => {
    expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`**\`${STRIPE_API_VERSION}\`**`);
    expect(readme).toContain(`\`api_version=${STRIPE_API_VERSION}\``);
    expect(readme).toContain(`| \`${STRIPE_API_VERSION}\``);
  });

  it('offers capture and partial capture only with manual capture', () => {
    expect(stripe({ ...SETTINGS, captureMethod: 'manual' }).capabilities).toMatchObject({
      capture: true,
      partialCapture: true,
    });
  });

  it('takes several webhook secrets (rotation, Connect endpoint) and keeps each secret', () => {
    const backend = stripe({ ...SETTINGS, webhookSecret: ['whsec_old', 'whsec_new'] });
    expect(backend.secrets).toEqual([SECRET_KEY, 'whsec_old', 'whsec_new']);
  });

  it('takes only an absolute http(s) URL as endpoint', () => {
    for (const endpoint of ['localhost:4010/stripe', '/stripe', 'ftp://sandbox.example/stripe']) {
      expect(() => stripe({ ...SETTINGS, endpoint })).toThrow(/endpoint: must be an absolute http\(s\) URL/);
    }
    expect(stripe({ ...SETTINGS, endpoint: 'http://127.0.0.1:4010/stripe' }).endpoint).toBe(
      'http://127.0.0.1:4010/stripe',
    );
  });

  it('is in live mode with a live key unless told otherwise', () => {
    expect(stripe({ ...SETTINGS, secretKey: 'sk_live_abc' }).testMode).toBe(false);
    expect(stripe({ ...SETTINGS, secretKey: 'rk_live_abc', testMode: true }).testMode).toBe(true);
  });

  it('reports every problem at once, naming the backend and each field', () => {
    const error = (() => {
      try {
        stripe({
          secretKey: 'pk_test_publishable',
          webhookSecret: 'not-a-secret',
          currencies: ['eur'],
          connect: { mode: 'sideways' },
        } as never);
      } catch (e) {
        return e as { code: string; message: string };
      }
      throw new Error('accepted');
    })();
    expect(error.code).toBe('INVALID_CONFIG');
    for (const field of ['secretKey', 'webhookSecret', 'currencies.0', 'connect.mode']) {
      expect(error.message).toContain(`Stripe: ${field}:`);
    }
  });

  it('refuses unknown settings, an application fee in local mode and a blank secret', () => {
    expect(() => stripe({ ...SETTINGS, sekretKey: 'x' } as never)).toThrow(/sekretKey|Unrecognized/);
    expect(() => stripe({ ...SETTINGS, connect: { mode: 'local', applicationFee: () => 10 } })).toThrow(
      /connect\.applicationFee: is only used in forward or remote mode/,
    );
    expect(() => stripe({ ...SETTINGS, webhookSecret: 'whsec_ ' })).toThrow(/webhookSecret/);
  });
});
