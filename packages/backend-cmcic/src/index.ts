export { CMCIC_ENDPOINTS, cmcic } from './cmcic';
export {
  CMCIC_LANGUAGES,
  type CmcicLanguage,
  decodeTexteLibre,
  encodeTexteLibre,
  formatMontant,
  parseMontant,
} from './lib/format';
export {
  FRAUD_CAUSES,
  type FraudCause,
  type FraudFilterHit,
  type FraudScreening,
  parseFraudScreening,
} from './lib/fraud';
export { cmcicKey, cmcicKeyHex } from './lib/key';
export {
  type CmcicFields,
  computeMac,
  type MacDirection,
  type MacOptions,
  type MacScheme,
  macSource,
  verifyMac,
} from './lib/mac';
export { ACK_MAC_NOT_OK, ACK_MAC_OK } from './lib/notification';
export type { Authentication, CmcicReturnData, CodeRetour, ExpressPaymentData } from './lib/return-data';
export { parseCodeRetour } from './lib/return-data';
export type { CmcicOptions, CmcicSettings } from './lib/settings';
