/**
 * `@paybridge/core/status-machine`: the pure status machine, for store and tooling authors — facts in,
 * the payment's next state, transitions and anomalies out (`applyFacts`), the money ledgers' derived
 * amounts and status, and the invariants every stored payment keeps (`checkInvariants`). No I/O.
 * An entry of its own so that a backend, which imports `@paybridge/core/kit`, does not load it.
 *
 * @module status-machine
 */

export {
  type ApplyFactsResult,
  applyFacts,
  checkInvariants,
  deriveAmounts,
  deriveStatus,
  type FactOutcome,
} from './status-machine';
