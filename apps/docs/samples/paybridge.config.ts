// paybridge.config.ts, next to your package.json: the bridge the `paybridge` command line acts on.
// Its default export is the same bridge your app serves: import it from here in the app too.

import { payu } from '@paybridge/backend-payu';
import { createPaybridge } from '@paybridge/core';
import { sqliteStore } from '@paybridge/store-sql';
import { shop } from './shop';

const env = process.env;

export default createPaybridge({
  baseUrl: 'https://shop.example/payments',
  backends: [
    payu({
      posId: env.PAYU_POS_ID!,
      clientId: env.PAYU_CLIENT_ID!,
      clientSecret: env.PAYU_CLIENT_SECRET!,
      secondKey: env.PAYU_SECOND_KEY!,
      currency: 'PLN',
    }),
  ],
  // autoMigrate: false when migrations run as their own deploy step (`paybridge migrate`).
  store: sqliteStore({ filename: './data/payments.db', autoMigrate: false }),
  orders: {
    resolve: async (orderId) => {
      const order = await shop.findOrder(orderId);
      return order && { amount: order.totalMinor, currency: 'PLN', description: `Order ${order.number}` };
    },
  },
});
