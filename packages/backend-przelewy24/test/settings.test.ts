import { isPaybridgeError } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { PRZELEWY24_ENDPOINTS, przelewy24 } from '../src/index';

const valid = { merchantId: 100200, crc: 'a1b2c3d4e5f60718', apiKey: 'report-key' };

describe('przelewy24() settings', () => {
  it('defaults: id, display name, PLN, posId = merchantId, no capture/cancel/recurring', () => {
    const backend = przelewy24(valid);
    expect(backend.id).toBe('przelewy24');
    expect(backend.displayName).toBe('Przelewy24');
    expect(backend.currencies).toEqual(['PLN']);
    expect(backend.capabilities).toEqual({
      capture: false,
      cancel: false,
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: true,
    });
    expect(backend.endpoints).toEqual(PRZELEWY24_ENDPOINTS);
    expect(backend.secrets).toEqual(['a1b2c3d4e5f60718', 'report-key']);
  });

  it('two shops coexist under their own ids', () => {
    const a = przelewy24({ ...valid, id: 'p24-eur', displayName: 'P24 EUR', currencies: ['EUR'] });
    expect([a.id, a.displayName, a.currencies]).toEqual(['p24-eur', 'P24 EUR', ['EUR']]);
  });

  it('accepts ids given as digit strings, and a separate posId', () => {
    const backend = przelewy24({ ...valid, merchantId: '100200', posId: '100201' });
    const setup = backend.setupInstructions({
      baseUrl: 'https://shop.test/pay',
      notifyUrl: 'https://shop.test/pay/notify/przelewy24',
      returnUrl: 'https://shop.test/pay/return/{paymentId}',
    });
    expect(setup.steps.join(' ')).toContain('100201 configured');
  });

  it('reports every problem at once with the display name and the field', () => {
    try {
      przelewy24({ merchantId: -1, crc: '', apiKey: '', currencies: ['XYZ'] } as never);
      expect.unreachable();
    } catch (error) {
      expect(isPaybridgeError(error) && error.code).toBe('INVALID_CONFIG');
      const text = (error as Error).message;
      for (const field of ['merchantId', 'crc', 'apiKey', 'currencies'])
        expect(text).toContain(`Przelewy24: ${field}`);
    }
  });

  it('refuses unknown settings (a typo is not silently ignored)', () => {
    expect(() => przelewy24({ ...valid, crcKey: 'x' } as never)).toThrow(/crcKey|Unrecognized/);
  });

  it('setup instructions name both URLs and warn about plain HTTP and test mode', () => {
    const backend = przelewy24({ ...valid, testMode: true });
    const setup = backend.setupInstructions({
      baseUrl: 'http://localhost:3000/pay',
      notifyUrl: 'http://localhost:3000/pay/notify/przelewy24',
      returnUrl: 'http://localhost:3000/pay/return/{paymentId}',
    });
    expect(setup.urls.map((u) => u.url)).toEqual([
      'http://localhost:3000/pay/notify/przelewy24',
      'http://localhost:3000/pay/return/{paymentId}',
    ]);
    expect(setup.warnings.join(' ')).toMatch(/HTTPS/);
    expect(setup.warnings.join(' ')).toMatch(/sandbox\.przelewy24\.pl/);
  });
});
