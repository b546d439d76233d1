export * from './backend';
export * from './button';
export * from './config';
export { type DummySettings, dummy } from './dummy-backend';
export { endpointUrlSchema, isHttpUrl } from './endpoint-url';
export * from './errors';
export * from './events';
export * from './lib/bytes';
export { autoSubmitForm, escapeHtml, htmlPage } from './lib/html';
export { standaloneContext } from './lib/standalone-context';
export { ipInRange, parseIp } from './lib/trusted-proxy';
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
export {
  type ApplyFactsResult,
  applyFacts,
  checkInvariants,
  deriveAmounts,
  deriveStatus,
  type FactOutcome,
  TRANSITION_TABLE,
} from './status-machine';
export * from './store';
export * from './types';
