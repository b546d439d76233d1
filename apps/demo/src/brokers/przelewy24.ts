import { przelewy24 } from '@paybridge/backend-przelewy24';
import type { WireBroker } from './credentials';
import { LOCAL } from './local';

export const przelewy24Backend: WireBroker = ({ env, real, local, keys }) =>
  przelewy24({
    currencies: [...LOCAL.przelewy24.currencies],
    ...(real
      ? {
          merchantId: env.P24_MERCHANT_ID as string,
          ...(env.P24_POS_ID ? { posId: env.P24_POS_ID } : {}),
          crc: env.P24_CRC as string,
          apiKey: env.P24_API_KEY as string,
          testMode: true,
        }
      : { merchantId: LOCAL.przelewy24.merchantId, ...keys.przelewy24, endpoint: `${local}/przelewy24` }),
  });
