export {
  formatPaypalAmount,
  PAYPAL_CURRENCIES,
  PAYPAL_DEFAULT_CURRENCIES,
  PAYPAL_IN_COUNTRY_CURRENCIES,
  parsePaypalAmount,
  paypalDecimals,
} from './lib/currencies';
export { DEFAULT_IPN_CHARSET, decodeForm } from './lib/form-encoding';
export { POSTBACK_HOSTS, postbackBody } from './lib/ipn-postback';
export type { CancelSubscriptionResult } from './lib/nvp-operations';
export type { PaypalOptions, PaypalSettings } from './lib/settings';
export { PAYPAL_ENDPOINTS, paypal } from './paypal';
