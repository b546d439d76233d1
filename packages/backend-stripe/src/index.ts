export { fromStripeAmount, stripeExponent, toStripeAmount } from './lib/currency';
export {
  type ApplicationFee,
  accountFromOrder,
  CONNECT_MODES,
  type ConnectedAccount,
  type ConnectMode,
  STRIPE_API_VERSION,
  type StripeOptions,
  type StripeSettings,
} from './lib/settings';
export { STRIPE_EVENT_TYPES } from './lib/setup';
export { parseSignatureHeader, signPayload, verifyStripeSignature } from './lib/signature';
export { STRIPE_ENDPOINTS, stripe } from './stripe';
