/**
 * `@paybridge/core`: the bridge, the payment and its status machine, the backend contract, the
 * stores' interface, events, and the HTTP handler over Request/Response.
 *
 * @module core
 */

export * from './backend';
export * from './button';
export * from './config';
export * from './errors';
export * from './events';
export * from './logger';
export { memoryStore } from './memory-store';
export * from './money';
export { createPaybridge } from './paybridge';
export type { ReconcileFailure, ReconcileOptions, ReconcileProgress, ReconcileResult } from './reconcile';
export type { ReplayResult } from './replay';
export * from './store';
export * from './types';
