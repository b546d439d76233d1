import { fromHex } from '@paybridge/core/kit';

/**
 * Turn the 40-character merchant key into the 20-byte HMAC key ("clé opérationnelle") exactly as
 * the official kits do (CM-CIC kit 1.04 `_getUsableKey`, Monetico kit 4.0, MoneticoDemoWebKit
 * `HmacComputer`; protocols/cmcic.md §3.1). Some legacy keys end with a non-hex character offset
 * by 23 (`P0` stands for `90`) or with an `M` standing for `0`; normal hex keys pass unchanged.
 * Never hex-decode the raw key directly: Node's `Buffer.from(key, 'hex')` stops at the first
 * non-hex character and silently yields a shorter key.
 */
export function cmcicKeyHex(key: string): string {
  if (key.length !== 40) throw new TypeError('a CM-CIC key has exactly 40 characters');
  let head = key.slice(0, 38);
  // PHP substr($key, 38, 2) . "00": two characters starting at offset 38 (not JS substring(38, 2)).
  const tail = `${key.slice(38, 40)}00`;
  const first = tail.charCodeAt(0);
  if (first > 70 && first < 97) {
    head += String.fromCharCode(first - 23) + tail.charAt(1);
  } else if (tail.charAt(1) === 'M') {
    head += `${tail.charAt(0)}0`;
  } else {
    head += tail.slice(0, 2);
  }
  if (!/^[0-9a-fA-F]{40}$/.test(head)) throw new TypeError('the CM-CIC key is not a valid 40-character key');
  return head.toLowerCase();
}

/** The 20 raw bytes of the HMAC-SHA1 key for a 40-character merchant key. */
export function cmcicKey(key: string): Uint8Array {
  return fromHex(cmcicKeyHex(key));
}
