import type { PaybridgeEventName, PaybridgeEvents, PaybridgeListener } from '../events';
import type { Logger } from '../logger';

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * Typed event emitter whose listeners can never break the caller: errors are logged and swallowed,
 * and a listener still running after `timeoutMs` is left to finish on its own (logged) so that a
 * hung listener cannot hold back the broker's acknowledgement.
 */
export function createEmitter(logger: Logger, timeoutMs = 10_000) {
  const listeners = new Map<PaybridgeEventName, Set<PaybridgeListener<PaybridgeEventName>>>();
  return {
    on<E extends PaybridgeEventName>(event: E, listener: PaybridgeListener<E>): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener as PaybridgeListener<PaybridgeEventName>);
      return () => set.delete(listener as PaybridgeListener<PaybridgeEventName>);
    },
    async emit<E extends PaybridgeEventName>(event: E, payload: PaybridgeEvents[E]): Promise<void> {
      for (const listener of listeners.get(event) ?? []) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          const running = Promise.resolve().then(() => listener(payload));
          const outcome = await Promise.race([
            running.then(() => 'done' as const),
            new Promise<'late'>((resolve) => {
              timer = setTimeout(() => resolve('late'), timeoutMs);
            }),
          ]);
          if (outcome === 'late') {
            logger.error('event listener is still running; not waiting for it', { event, timeoutMs });
            running.catch((error: unknown) =>
              logger.error('event listener threw', { event, error: describe(error) }),
            );
          }
        } catch (error) {
          logger.error('event listener threw', { event, error: describe(error) });
        } finally {
          clearTimeout(timer);
        }
      }
    },
  };
}

export type Emitter = ReturnType<typeof createEmitter>;
