import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src/stripe/form';
import { StripeFailure } from '../../src/stripe/http';
import { signatureHeader, stripeSignature } from '../../src/stripe/signature';

describe('Stripe form decoding (bracket params)', () => {
  it('decodes the SDK literal example of reference §1.3 into nested objects and lists', () => {
    const body =
      'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1999&line_items[0][price_data][product_data][name]=X&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa%2Fb%3Fs%3D%7BCHECKOUT_SESSION_ID%7D';
    expect(parseForm(body)).toEqual({
      mode: 'payment',
      line_items: [
        { price_data: { currency: 'eur', unit_amount: '1999', product_data: { name: 'X' } }, quantity: '1' },
      ],
      success_url: 'https://a/b?s={CHECKOUT_SESSION_ID}',
    });
  });

  it('accepts percent-encoded brackets, orders indices numerically and keeps empty values (unset)', () => {
    expect(parseForm('expand%5B1%5D=b&expand%5B0%5D=a&metadata%5Bk%5D=&a[10]=x&a[2]=y')).toEqual({
      expand: ['a', 'b'],
      metadata: { k: '' },
      a: { 10: 'x', 2: 'y' },
    });
    expect(parseForm('expand[]=a&expand[]=b').expand).toEqual(['a', 'b']);
    expect(parseForm('name=caf%C3%A9%20%21%27%28%29%2A').name).toBe("café !'()*");
  });

  it('refuses malformed or conflicting keys and prototype keys with a 400 naming the parameter', () => {
    for (const bad of ['a[b=1', 'a=1&a[b]=2', 'a[b]=2&a=1', '__proto__[x]=1', 'a[constructor]=1', '[x]=1']) {
      let thrown: unknown;
      try {
        parseForm(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, bad).toBeInstanceOf(StripeFailure);
      expect((thrown as StripeFailure).status).toBe(400);
      expect((thrown as StripeFailure).body.type).toBe('invalid_request_error');
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('Stripe-Signature', () => {
  it('matches the worked example of reference §5.2 (whsec_ prefix is part of the key)', () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ id: 'evt_test_webhook', object: 'event' }, null, 2),
    );
    expect(body.length).toBe(51);
    expect(stripeSignature('whsec_test_secret', 1700000000, body)).toBe(
      '4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150',
    );
  });

  it('writes t first and one v1 per secret (rotation)', () => {
    const body = new TextEncoder().encode('{}');
    const header = signatureHeader(['whsec_new', 'whsec_old'], 1700000000, body);
    expect(header).toBe(
      `t=1700000000,v1=${stripeSignature('whsec_new', 1700000000, body)},v1=${stripeSignature('whsec_old', 1700000000, body)}`,
    );
  });
});
