import { cmcic } from '@paybridge/backend-cmcic';
import { paypal } from '@paybridge/backend-paypal';
import { payu } from '@paybridge/backend-payu';
import type { PaymentBackend } from '@paybridge/core';

/**
 * Merchant credentials shared by the merchant (the backends) and the sandbox (the brokers). The PayU POS is
 * one of PayU's public test POSes (protocols/payu.md); the CM-CIC key is the kits' documented test key.
 */
export const PAYU_POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  currency: 'PLN' as const,
};
export const PAYPAL_ACCOUNT = { business: 'merchant@example.com', receiverId: 'MERCHANT12345' };
export const CMCIC_TPE = {
  tpe: '1234567',
  key: '12345678901234567890123456789012345678P0',
  company: 'monSite1',
};

export type BrokerId = 'payu' | 'paypal' | 'cmcic';
export const BROKERS: readonly BrokerId[] = ['payu', 'paypal', 'cmcic'];

/** The three backends, pointed at the sandbox's base URL. */
export function chaosBackends(sandboxUrl: string): PaymentBackend[] {
  return [
    payu({ ...PAYU_POS, endpoint: `${sandboxUrl}/payu`, testMode: true }),
    paypal({
      ...PAYPAL_ACCOUNT,
      receiverEmails: [PAYPAL_ACCOUNT.business],
      endpoint: `${sandboxUrl}/paypal`,
      testMode: true,
      postbackTimeoutMs: 2000,
      postbackAttempts: 1,
    }),
    cmcic({
      tpe: CMCIC_TPE.tpe,
      key: CMCIC_TPE.key,
      company: CMCIC_TPE.company,
      macScheme: 'current',
      endpoint: `${sandboxUrl}/cmcic/test`,
      testMode: true,
    }),
  ];
}

/** What each order costs: PayU sells in PLN, the others in EUR (amounts never come from the browser). */
export function orderFor(orderId: string) {
  const broker = orderId.split('-')[0];
  return {
    amount: broker === 'payu' ? 21000 : 1999,
    currency: broker === 'payu' ? 'PLN' : 'EUR',
    description: `Chaos order ${orderId}`,
    buyer: { email: 'buyer@example.com', firstName: 'John', lastName: 'Doe', language: 'en' },
    successUrl: 'https://shop.test/thanks',
    failureUrl: 'https://shop.test/sorry',
  };
}
