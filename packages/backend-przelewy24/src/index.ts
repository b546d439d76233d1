export { paidFacts, refundFact } from './lib/facts';
export {
  P24_CURRENCIES,
  P24_LANGUAGES,
  P24_NOTIFICATION_IPS,
  type Przelewy24Settings,
} from './lib/settings';
export { p24Sign, SIGN_FIELDS, type SignedMessage, signMatches, signString } from './lib/signature';
export { PRZELEWY24_ENDPOINTS, type Przelewy24Options, przelewy24 } from './przelewy24';
