import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** What the merchant side records for the checks: events delivered to listeners and faults it injected. */
export type JournalEntry =
  | { type: 'event'; event: string; paymentId: string | null; transitionId: string | null }
  | { type: 'fault'; fault: 'store-write' | 'log-write' | 'create-write' | 'broker-api'; detail: string };

export interface Journal {
  write(entry: JournalEntry): void;
  read(): JournalEntry[];
}

export function memoryJournal(): Journal {
  const entries: JournalEntry[] = [];
  return { write: (entry) => void entries.push(entry), read: () => [...entries] };
}

/**
 * One JSON line per entry, appended synchronously: an entry written before a SIGKILL is on disk, so
 * an event delivered twice across a crash shows up as two lines.
 */
export function fileJournal(path: string): Journal {
  return {
    write: (entry) => appendFileSync(path, `${JSON.stringify(entry)}\n`),
    read: () =>
      existsSync(path)
        ? readFileSync(path, 'utf8')
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map((line) => JSON.parse(line) as JournalEntry)
        : [],
  };
}
