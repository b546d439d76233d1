import type { NotificationContext } from '../backend';

/** The ids an unverified message gives for the payment it is about, in the order they are tried. */
export interface NamedIds {
  /** The broker's ids (a payment's `externalId`), tried first. */
  externalIds?: readonly unknown[];
  /** Our payment ids, as the broker echoes them back. */
  paymentIds?: readonly unknown[];
}

/**
 * Which of our payments a message that failed verification names, if any (DESIGN §6, verify-or-pull):
 * the first candidate that is a payment of `backendId`, by the broker's id first, then by our payment
 * id. A candidate that is not a string of 1 to `maxLength` characters is never looked up. Nothing is
 * trusted beyond naming (the pull asks the broker about the payment's own transaction), and a store
 * error answers `undefined`: the answer to the broker stays what it was.
 */
export async function namedPaymentId(
  ctx: Pick<NotificationContext, 'getPayment' | 'findPaymentByExternalId'>,
  backendId: string,
  { externalIds = [], paymentIds = [] }: NamedIds,
  maxLength: number,
): Promise<string | undefined> {
  const usable = (ids: readonly unknown[]) =>
    new Set(
      ids.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= maxLength),
    );
  try {
    for (const id of usable(externalIds)) {
      const payment = await ctx.findPaymentByExternalId(id);
      if (payment?.backend === backendId) return payment.id;
    }
    for (const id of usable(paymentIds)) {
      const payment = await ctx.getPayment(id);
      if (payment?.backend === backendId) return payment.id;
    }
  } catch {
    // A lookup that failed names nothing.
  }
  return undefined;
}
