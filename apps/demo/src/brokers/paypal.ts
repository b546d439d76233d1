import { paypal } from '@paybridge/backend-paypal';
import type { WireBroker } from './credentials';
import { LOCAL } from './local';

export const paypalBackend: WireBroker = ({ env, real, local }) =>
  real
    ? paypal({
        business: env.PAYPAL_BUSINESS as string,
        ...(env.PAYPAL_RECEIVER_ID ? { receiverId: env.PAYPAL_RECEIVER_ID } : {}),
        ...(env.PAYPAL_RECEIVER_EMAIL ? { receiverEmails: [env.PAYPAL_RECEIVER_EMAIL] } : {}),
      })
    : paypal({ ...LOCAL.paypal, receiverEmails: [LOCAL.paypal.business], endpoint: `${local}/paypal` });
