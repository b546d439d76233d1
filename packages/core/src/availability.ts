import type { PaymentBackend } from './backend';
import type { AvailabilityQuery, AvailableBackends, UnavailableReason } from './config';

/**
 * Which backends can take a purchase, and for each one left out, every reason why; for both, the
 * optional credentials a backend runs without and the operations that leaves off.
 */
export function availableBackends(
  backends: readonly PaymentBackend[],
  query: AvailabilityQuery,
  resolveTestMode: (backend: PaymentBackend) => boolean,
  restrictTo?: readonly string[],
): AvailableBackends {
  const result: AvailableBackends = { available: [], unavailable: [] };
  const currency = query.currency.toUpperCase();
  for (const backend of backends) {
    const reasons: UnavailableReason[] = [];
    if (restrictTo && !restrictTo.includes(backend.id)) {
      reasons.push({
        code: 'CONFIGURATION',
        message: `${backend.displayName} is not offered for this purchase`,
      });
    }
    if (backend.currencies && !backend.currencies.includes(currency)) {
      reasons.push({
        code: 'CURRENCY',
        message: `${backend.displayName} does not take ${currency} (takes ${backend.currencies.join(', ')})`,
      });
    }
    if (query.recurring && !backend.capabilities.recurring) {
      reasons.push({
        code: 'CAPABILITY',
        message: `${backend.displayName} does not support recurring payments`,
      });
    }
    if (query.amount !== undefined) {
      for (const limit of backend.amountLimits ?? []) {
        if (limit.currency !== currency) continue;
        if (limit.min !== undefined && query.amount < limit.min) {
          reasons.push({
            code: 'AMOUNT_LIMIT',
            message: `${backend.displayName} takes at least ${limit.min} (minor units)`,
          });
        }
        if (limit.max !== undefined && query.amount > limit.max) {
          reasons.push({
            code: 'AMOUNT_LIMIT',
            message: `${backend.displayName} takes at most ${limit.max} (minor units)`,
          });
        }
      }
    }
    if (backend.availability) {
      try {
        reasons.push(...backend.availability({ ...query, currency }));
      } catch {
        // A backend that cannot even tell is not offered (its error text stays private: it may hold settings).
        reasons.push({
          code: 'CONFIGURATION',
          message: `${backend.displayName} could not check its configuration`,
        });
      }
    }
    // Copies: the caller may show or change them without touching the backend's own list.
    const missing = (backend.missingCredentials ?? []).map((m) => ({ ...m, operations: [...m.operations] }));
    const missingCredentials = missing.length ? { missingCredentials: missing } : {};
    if (reasons.length)
      result.unavailable.push({
        id: backend.id,
        displayName: backend.displayName,
        reasons,
        ...missingCredentials,
      });
    else
      result.available.push({
        id: backend.id,
        displayName: backend.displayName,
        testMode: resolveTestMode(backend),
        ...missingCredentials,
      });
  }
  return result;
}
