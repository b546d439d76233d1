/** Where a wallet keeps its money. A real shop would put this in its own database. */
export interface WalletLedger {
  balance(account: string, currency: string): Promise<number>;
  /** Takes `amount` from the account once per `key`; false (and nothing taken) when the balance is short. */
  debit(account: string, currency: string, amount: number, key: string): Promise<boolean>;
  /** Gives `amount` back once per `key`. */
  credit(account: string, currency: string, amount: number, key: string): Promise<void>;
}

export interface LedgerEntry {
  account: string;
  currency: string;
  /** Minor units; negative for a debit. */
  amount: number;
  key: string;
}

/**
 * The demo's wallet: every account opens with `opening(currency)` of credit, movements are kept in
 * memory (they reset when the demo restarts). Operations are synchronous under the hood, so two
 * concurrent debits cannot both spend the same balance.
 */
export function memoryLedger(opening: (currency: string) => number) {
  const entries: LedgerEntry[] = [];
  const done = new Set<string>();
  const balanceOf = (account: string, currency: string) =>
    entries
      .filter((e) => e.account === account && e.currency === currency)
      .reduce((sum, e) => sum + e.amount, opening(currency));

  return {
    entries: () => [...entries],
    async balance(account, currency) {
      return balanceOf(account, currency);
    },
    async debit(account, currency, amount, key) {
      if (done.has(`debit:${key}`)) return true;
      if (balanceOf(account, currency) < amount) return false;
      done.add(`debit:${key}`);
      entries.push({ account, currency, amount: -amount, key });
      return true;
    },
    async credit(account, currency, amount, key) {
      if (done.has(`credit:${key}`)) return;
      done.add(`credit:${key}`);
      entries.push({ account, currency, amount, key });
    },
  } satisfies WalletLedger & { entries(): LedgerEntry[] };
}
