export { fromRazorpayMoney, toRazorpayAmount } from './lib/amount';
export type { RazorpaySettings } from './lib/settings';
export { RAZORPAY_WEBHOOK_EVENTS } from './lib/setup';
export { razorpayHmac, verifyLinkCallback, verifyWebhookSignature } from './lib/signature';
export { RAZORPAY_ENDPOINTS, type RazorpayOptions, razorpay } from './razorpay';
