import { mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * better-sqlite3 waits for another connection's write lock synchronously (busy_timeout), blocking
 * the event loop. Two stores on one file in the same process would therefore stall: the waiter
 * blocks the thread the lock holder needs to commit, until the timeout fails it with SQLITE_BUSY.
 * Write transactions of every store on one file in this process queue here instead, so SQLite's
 * busy wait only ever waits for other processes.
 */
const tails = new Map<string, Promise<void>>();

export function inProcessLock(key: string): <T>(fn: () => Promise<T>) => Promise<T> {
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const held = new Promise<void>((done) => {
      release = done;
    });
    const tail = previous.then(() => held);
    tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

/** Whether `filename` names a file on disk (not an in-memory or URI database). */
export function isFile(filename: string): boolean {
  return filename !== '' && filename !== ':memory:' && !filename.startsWith('file:');
}

/**
 * Creates the database file's folder and returns one key per file, whatever relative path or
 * symlinked folder names it.
 */
export async function fileKey(filename: string): Promise<string> {
  const folder = dirname(resolve(filename));
  await mkdir(folder, { recursive: true });
  return join(await realpath(folder), basename(filename));
}
