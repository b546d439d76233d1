import { flutterwave } from '@paybridge/backend-flutterwave';
import type { WireBroker } from './credentials';
import { LOCAL } from './local';

export const flutterwaveBackend: WireBroker = ({ env, real, local, keys }) =>
  flutterwave({
    currencies: [...LOCAL.flutterwave.currencies],
    // A signed button may carry no e-mail; Flutterwave requires one.
    defaultCustomerEmail: 'buyer@demo.paybridge.test',
    ...(real
      ? { secretKey: env.FLW_SECRET_KEY as string, secretHash: env.FLW_SECRET_HASH as string }
      : { ...keys.flutterwave, endpoint: `${local}/flutterwave/v3` }),
  });
