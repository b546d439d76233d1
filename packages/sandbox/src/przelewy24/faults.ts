/**
 * Faults a test can switch on at any time through `sandbox.przelewy24.faults` (a mutable object).
 */
export interface P24Faults {
  /** Deliver every notification this many extra times (each copy keeps P24's retry schedule). */
  duplicate?: number;
  /**
   * Hold transaction notifications back until `releaseHeld()`, which sends them newest first: a
   * notification then arrives after what followed it (a pull, a refund, a later payment).
   */
  reorder?: boolean;
  /** Notifications signed with another CRC key (`forged`) or with no `sign` at all (`missing`). */
  signature?: 'valid' | 'forged' | 'missing';
  /** The next `remaining` API calls (below /api/v1/) answer this 5xx with P24's error body. */
  apiError?: { status: 500 | 503; remaining: number };
}

export function errorFault(faults: P24Faults): Response | null {
  const fault = faults.apiError;
  if (!fault || fault.remaining <= 0) return null;
  fault.remaining--;
  return new Response(JSON.stringify({ error: 'Unknown error', code: fault.status }), {
    status: fault.status,
    headers: { 'content-type': 'application/json' },
  });
}
