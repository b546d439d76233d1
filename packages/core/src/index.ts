export * from './backend';
export * from './button';
export * from './config';
// Backend-author helpers now live in `@paybridge/core/kit`; the root keeps deprecated aliases for one transition.
export * from './deprecated-root';
export * from './errors';
export * from './events';
export * from './logger';
export { memoryStore } from './memory-store';
export * from './money';
export { createPaybridge } from './paybridge';
export {
  OPEN_STATUSES,
  type OpenStatus,
  type ReconcileFailure,
  type ReconcileOptions,
  type ReconcileProgress,
  type ReconcileResult,
} from './reconcile';
export type { ReplayResult } from './replay';
export * from './store';
export * from './types';
