export { abortable, type E2e, type E2eOptions, SANDBOX, SHOP, startE2e } from './harness';
export { lastSegment, openHostedPage, startOnHostedPage } from './hosted-page';
export { paypalTxnOf, submitPaypalForm } from './paypal';
export { openPayuPage, refundsAtPayu } from './payu';
export { paymentTotals, shopOrder } from './shop';
