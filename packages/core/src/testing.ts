/**
 * Conformance suites for packages that plug into paybridge (`@paybridge/core/testing`).
 * They call vitest's describe/it/expect, so run them from vitest test files.
 *
 * @module testing
 */

export { backendView } from './lib/broker-data';
export { type BackendConformanceOptions, runBackendConformance } from './testing/backend-conformance';
export { type BindingCheckInput, type BindingFixture, checkBinding } from './testing/binding-conformance';
export { creationTransition, makePayment } from './testing/fixtures';
export { storeInPreviousShape } from './testing/previous-shape';
export { runStoreConformance, type StoreConformanceOptions } from './testing/store-conformance';
export { zodBuildersCalledBy } from './testing/zod-builds';
