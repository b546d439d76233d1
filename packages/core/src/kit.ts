/**
 * `@paybridge/core/kit`: what a backend author needs besides the contract types (which stay at the
 * root, next to the merchant's API): notification answers, byte and hash helpers (with the strict
 * UTF-8 + JSON read of a broker's body), HTML responses for hosted pages, IP ranges, settings
 * validation and `memoized` (a schema built on first use, not at import), and a context for calls
 * outside a bridge operation. The pure status machine, for store and tooling authors, is
 * `@paybridge/core/status-machine`: a backend that imports the kit does not load it.
 *
 * @module kit
 */

export { endpointUrlSchema, isHttpUrl } from './endpoint-url';
export { jsonAck, jsonAcks, malformedNotification, textAck } from './lib/acks';
export {
  bytesForLog,
  fromBase64Url,
  fromHex,
  parseJsonBody,
  randomId,
  sortableId,
  strictUtf8,
  timingSafeEqual,
  timingSafeEqualText,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
} from './lib/bytes';
export { digest, type HmacAlgorithm, hmac } from './lib/hashes';
export { autoSubmitForm, escapeHtml, htmlPage } from './lib/html';
export { memoized } from './lib/memoized';
export { type NamedIds, namedPaymentId } from './lib/named-payment';
export { parseSettings } from './lib/parse-settings';
export { standaloneContext } from './lib/standalone-context';
export { ipInRange, parseIp } from './lib/trusted-proxy';
