import { isPaybridgeError, PaybridgeError } from '@paybridge/core';

/**
 * Database failures surface as STORE_UNAVAILABLE (503) so the notification pipeline answers the
 * broker "try again later". The driver's message stays in `cause` only: it can quote SQL values.
 */
export async function storeCall<T>(store: string, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ForeignError) throw error.error;
    if (isPaybridgeError(error)) throw error;
    throw new PaybridgeError('STORE_UNAVAILABLE', `The ${store} store failed during ${operation}`, {
      cause: error,
      details: { store, operation },
    });
  }
}

/** Wraps an error thrown by caller code inside a store transaction, to be rethrown as it was. */
export class ForeignError extends Error {
  constructor(readonly error: unknown) {
    super('error thrown by caller code inside a store transaction');
  }
}
