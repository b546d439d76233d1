// Flutterwave Standard (v3): hosted link by tx_ref, webhooks re-verified with Flutterwave by id.
import { flutterwave } from '@paybridge/backend-flutterwave';

const env = process.env;

export const flutterwaveBackend = flutterwave({
  secretKey: env.FLW_SECRET_KEY!, // FLWSECK_TEST-…-X or FLWSECK-…-X: the prefix decides the mode
  secretHash: env.FLW_SECRET_HASH!, // the webhook's secret hash, set in the dashboard
  currencies: ['NGN', 'KES', 'GHS'],
});
