import { runBackendConformance } from '@paybridge/core/testing';
import { paypal } from './paypal';

runBackendConformance({
  name: 'paypal',
  factory: paypal,
  validSettings: { business: 'merchant@example.com', receiverId: 'MERCHANT12345' },
  invalidSettings: { business: '', receiverId: 'not an id', currencies: ['KWD'], returnMethod: 'PUT' },
  currency: 'EUR',
  amount: 1999,
});
