import { jsonAcks } from '@paybridge/core/kit';

/**
 * Razorpay counts any 2xx answered within 5 seconds as delivered (§7.4). A refused webhook gets a
 * 400 (§7.4: "bad signature → 400, it will be retried, which is harmless"): a genuine event refused
 * because a secret was rotated keeps being redelivered for 24 hours. `RETRY` (503): our side failed
 * (store, an API call), and a non-2xx makes Razorpay redeliver.
 */
export const { OK, refuse, RETRY, malformed } = jsonAcks({ status: 'ok' });
