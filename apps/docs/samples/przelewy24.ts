// Przelewy24: register, redirect, signed notification, then the mandatory verify call.
import { przelewy24 } from '@paybridge/backend-przelewy24';

const env = process.env;

export const p24 = przelewy24({
  merchantId: Number(env.P24_MERCHANT_ID),
  crc: env.P24_CRC!, // salts every sign
  apiKey: env.P24_API_KEY!, // the reports key ("klucz do raportów"), not the CRC key
  currencies: ['PLN'],
});

// Against the local simulator, with its public test merchant.
export const p24OnSandbox = przelewy24({
  merchantId: 100200,
  crc: 'a1b2c3d4e5f60718',
  apiKey: 'p24-sandbox-report-key-9f3c1d',
  testMode: true,
  endpoint: 'http://127.0.0.1:4000/przelewy24',
});
