export {
  PAYU_CURRENCIES,
  type PayuOptions,
  type PayuSettings,
  type PayuSettingsInput,
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithm,
} from './lib/settings';
export { computeSignature, parseSignatureHeader, verifySignature } from './lib/signature';
export { PAYU_ENDPOINTS, payu } from './payu';
