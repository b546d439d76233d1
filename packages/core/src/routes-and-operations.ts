/**
 * Everything the bridge runs only when a request arrives or an operation is called: every route and
 * every operation, loaded together by one dynamic `import()` on first use (`lib/lazy.ts`), so that
 * importing the root entry evaluates only what creating a bridge needs (issue 18: cold start).
 *
 * One module rather than one per route: esbuild's code splitting puts the code the root shares with
 * each lazily loaded module into a chunk per combination, and on Node each extra file costs an
 * import more than its code does. Measured on Node 20, median of 31 fresh processes, importing core +
 * CM-CIC: one `import()` per route and operation 29.2 ms, two groups (notifications, the rest) 25.5 ms,
 * this one module 23.4 ms, nothing lazy 23.6 ms; importing core alone: 13.0, –, 11.1 and 16.7 ms.
 */
export { signButton, verifyButton } from './lib/button-token';
export { deliverTransitions } from './lib/delivery';
export { cancel, capture, refund, sweepExpired, sync } from './operations';
export { getOrder } from './order-view';
export { reconcile } from './reconcile';
export { replayMessage } from './replay';
export { backendPageRoute } from './routes/backend-page';
export { methodsRoute } from './routes/methods';
export { notifyRoute } from './routes/notify';
export { returnRoute } from './routes/return';
export { startRoute } from './routes/start';
export { statusRoute } from './routes/status';
export { startPayment } from './start-payment';
