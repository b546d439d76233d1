import { stripe } from '@paybridge/backend-stripe';
import type { WireBroker } from './credentials';
import { LOCAL } from './local';

export const stripeBackend: WireBroker = ({ env, real, local, keys }) =>
  stripe({
    currencies: [...LOCAL.stripe.currencies],
    ...(real
      ? { secretKey: env.STRIPE_SECRET_KEY as string, webhookSecret: env.STRIPE_WEBHOOK_SECRET as string }
      : { ...keys.stripe, endpoint: `${local}/stripe` }),
  });
