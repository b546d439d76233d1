import type { PaymentQuery, PaymentStore } from '../store';
import type { Payment } from '../types';

/** Every payment the query matches, page after page (`query.limit` is the page size). */
export async function allPayments(
  store: PaymentStore,
  query: Omit<PaymentQuery, 'cursor'>,
): Promise<Payment[]> {
  const out: Payment[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listPayments({ ...query, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}
