import { hexToBytes } from '@noble/hashes/utils.js';

/**
 * Turns the 40-character merchant key into the 20-byte HMAC key exactly as Euro-Information's kits do
 * (protocol reference §3.1: CM-CIC kit 1.04, Monetico kit 4.0, MoneticoDemoWebKit `HmacComputer`).
 * Some legacy keys end with a non-hex character before the last one (shifted by 23: `P`→`9`, `G`→`0`)
 * and/or an `M` standing for `0` in last position; plain hex keys pass through unchanged.
 *
 * Note PHP `substr($key, 38, 2)` is (start, length): a JS `substring(38, 2)` would swap to (2, 38).
 */
export function operationalKey(key: string): Uint8Array {
  if (key.length !== 40) {
    throw new Error(`A CM-CIC key has 40 characters (got ${key.length})`);
  }
  let head = key.slice(0, 38);
  const tail = `${key.slice(38, 40)}00`;
  const beforeLast = tail.charCodeAt(0);
  if (beforeLast > 70 && beforeLast < 97) {
    head += String.fromCharCode(beforeLast - 23) + tail.charAt(1);
  } else if (tail.charAt(1) === 'M') {
    head += `${tail.charAt(0)}0`;
  } else {
    head += tail.slice(0, 2);
  }
  // hex decoding elsewhere (Node's Buffer) silently stops at the first non-hex character: refuse instead.
  if (!/^[0-9a-fA-F]{40}$/.test(head)) {
    throw new Error('A CM-CIC key must be 40 hexadecimal characters once converted (reference §3.1)');
  }
  return hexToBytes(head.toLowerCase());
}
