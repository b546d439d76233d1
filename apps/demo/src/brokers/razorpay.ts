import { razorpay } from '@paybridge/backend-razorpay';
import type { WireBroker } from './credentials';
import { localRazorpayKeys } from './local';

export const razorpayBackend: WireBroker = ({ env, real, local, keys }) =>
  razorpay(
    real
      ? {
          keyId: env.RAZORPAY_KEY_ID as string,
          keySecret: env.RAZORPAY_KEY_SECRET as string,
          webhookSecret: env.RAZORPAY_WEBHOOK_SECRET as string,
        }
      : { ...localRazorpayKeys(keys), endpoint: `${local}/razorpay` },
  );
