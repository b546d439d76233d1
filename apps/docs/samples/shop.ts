// A stand-in for the merchant's own order database, so the samples compile on their own.
export interface ShopOrder {
  id: string;
  number: string;
  totalMinor: number;
  email: string;
}

const orders = new Map<string, ShopOrder>();
const paidBy = new Map<string, string>();
const refunded = new Map<string, number>();

export const shop = {
  async findOrder(orderId: string): Promise<ShopOrder | null> {
    return orders.get(orderId) ?? null;
  },
  async markPaid(orderId: string, paymentId: string): Promise<void> {
    paidBy.set(orderId, paymentId);
  },
  async markRefunded(orderId: string, amount: number): Promise<void> {
    refunded.set(orderId, (refunded.get(orderId) ?? 0) + amount);
  },
};
