import { hmac, toHex, utf8 } from '@paybridge/core/kit';
import { describe, expect, it } from 'vitest';
import { cmcicKey, cmcicKeyHex } from '../src/lib/key';

const HEAD = '12345678901234567890123456789012345678';

describe('cmcicKeyHex (official kit conversion, protocols/cmcic.md §3.1)', () => {
  it('turns the kit placeholder key ending in P0 into 90', () => {
    expect(cmcicKeyHex(`${HEAD}P0`)).toBe(`${HEAD}90`);
  });

  it('turns a final M into 0', () => {
    expect(cmcicKeyHex(`${HEAD}4M`)).toBe(`${HEAD}40`);
  });

  it('offsets a non-hex before-last character by 23 (G → 0)', () => {
    expect(cmcicKeyHex(`${HEAD}G7`)).toBe(`${HEAD}07`);
    expect(cmcicKeyHex(`${HEAD}Z1`)).toBe(`${HEAD}C1`.toLowerCase());
  });

  it('passes normal hex keys through, upper or lower case', () => {
    const key = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
    expect(cmcicKeyHex(key)).toBe(key.toLowerCase());
    expect(cmcicKey(key)).toHaveLength(20);
  });

  it('refuses keys of the wrong length or with non-hex characters elsewhere', () => {
    expect(() => cmcicKeyHex(`${HEAD}P`)).toThrow(TypeError);
    expect(() => cmcicKeyHex(`X${HEAD.slice(1)}00`)).toThrow(TypeError);
    expect(() => cmcicKeyHex(`${HEAD}0Q`)).toThrow(TypeError);
  });

  it('reproduces the support control string of the P0 key (§3.6)', async () => {
    const mac = toHex(await hmac('SHA-1', cmcicKey(`${HEAD}P0`), utf8('CtlHmac3.00000001')));
    expect(mac).toBe('91bdb04c9b46e5bf40248dda676d74e9604f73b1');
  });
});
