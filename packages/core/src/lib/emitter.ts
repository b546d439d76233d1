import type { PaybridgeEventName, PaybridgeEvents, PaybridgeListener } from '../events';
import type { Logger } from '../logger';

/** Typed event emitter whose listeners can never break the caller: errors are logged and swallowed. */
export function createEmitter(logger: Logger) {
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
        try {
          await listener(payload);
        } catch (error) {
          logger.error('event listener threw', {
            event,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
        }
      }
    },
  };
}

export type Emitter = ReturnType<typeof createEmitter>;
