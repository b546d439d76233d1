import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { operationalKey } from '../../src/cmcic/key';

const PREFIX = '123456789012345678901234567890123456';

describe('operationalKey (reference §3.1)', () => {
  it('turns the kit placeholder key ending in P0 into 20 bytes (P → 9)', () => {
    const key = operationalKey('12345678901234567890123456789012345678P0');
    expect(key).toHaveLength(20);
    expect(bytesToHex(key)).toBe('1234567890123456789012345678901234567890');
  });

  it('reads a last M as 0', () => {
    expect(bytesToHex(operationalKey(`${PREFIX}454M`))).toBe(`${PREFIX}4540`);
  });

  it('shifts G by 23 to 0', () => {
    expect(bytesToHex(operationalKey(`${PREFIX}45G7`))).toBe(`${PREFIX}4507`);
  });

  it('passes plain hex keys through, in either case', () => {
    expect(bytesToHex(operationalKey('ABCDEF0123456789abcdef0123456789ABCDEF01'))).toBe(
      'abcdef0123456789abcdef0123456789abcdef01',
    );
  });

  it('refuses keys of the wrong length or that stay non-hex, without echoing them', () => {
    expect(() => operationalKey('1234')).toThrow(/40 characters/);
    const bad = `zz${PREFIX.slice(2)}1234`;
    expect(() => operationalKey(bad)).toThrow(/hexadecimal/);
    try {
      operationalKey(bad);
    } catch (error) {
      expect(String(error)).not.toContain(bad);
    }
  });
});
