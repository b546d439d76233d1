// CM-CIC Paiement / Monetico: one backend per terminal (TPE).
import { cmcic } from '@paybridge/backend-cmcic';

const env = process.env;

export const monetico = cmcic({
  tpe: env.CMCIC_TPE!, // 7 characters
  key: env.CMCIC_KEY!, // the 40-character key, as the bank gave it
  company: env.CMCIC_COMPANY!, // "societe"
  macScheme: 'current',
});

// The sandbox's public test terminal (never use these values with the bank).
export const moneticoOnSandbox = cmcic({
  tpe: '9000001',
  key: 'C0FFEE0123456789ABCDEF0123456789ABCDEF01',
  company: 'paybridgetest',
  testMode: true,
  endpoint: 'http://127.0.0.1:4000/cmcic/test',
});

// A terminal the bank set up for authorise-then-capture.
export const moneticoDeferred = cmcic({
  id: 'cmcic-deferred',
  tpe: env.CMCIC_DEFERRED_TPE!,
  key: env.CMCIC_DEFERRED_KEY!,
  company: env.CMCIC_COMPANY!,
  terminalMode: 'deferred',
});
