export { abortable, type E2e, type E2eOptions, SANDBOX, SHOP, startE2e } from './harness';
export { paypalTxnOf, submitPaypalForm } from './paypal';
export { openPayuPage, refundsAtPayu } from './payu';
