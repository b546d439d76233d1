export { FLUTTERWAVE_ENDPOINTS, flutterwave } from './flutterwave';
export { fromMajor, toMajorDecimal } from './lib/amounts';
export {
  FLUTTERWAVE_CURRENCIES,
  type FlutterwaveOptions,
  type FlutterwaveSettings,
} from './lib/settings';
export { authenticateWebhook, flutterwaveSignature } from './lib/signature';
