/** A card kept by the bank under a merchant's customer alias (Paiement Express, reference §5.1). */
export interface StoredCard {
  pan: string;
  expiryMonth: number;
  expiryYear: number;
}

/** Aliases belong to one TPE: two merchants may use the same customer alias. */
export function createAliasMemory() {
  const cards = new Map<string, StoredCard>();
  const key = (tpe: string, alias: string) => `${tpe}\u0000${alias}`;
  return {
    remember(tpe: string, alias: string, card: StoredCard): void {
      cards.set(key(tpe, alias), card);
    },
    find(tpe: string, alias: string): StoredCard | undefined {
      return cards.get(key(tpe, alias));
    },
    forget(tpe: string, alias: string): boolean {
      return cards.delete(key(tpe, alias));
    },
  };
}

export type AliasMemory = ReturnType<typeof createAliasMemory>;
