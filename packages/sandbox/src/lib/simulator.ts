import type { SandboxClock } from './clock';
import type { DeliveryQueue } from './delivery';

/** What every broker simulator gets from the sandbox. */
export interface SimulatorEnv {
  /** Absolute base URL of this broker's simulator, e.g. http://localhost:4000/sandbox/payu. */
  baseUrl: string;
  clock: SandboxClock;
  queue: DeliveryQueue;
}

/** Where the customer's browser goes after an action on a hosted page. */
export type BrowserStep =
  | { method: 'GET'; url: string }
  | { method: 'POST'; url: string; fields: Record<string, string> }
  /** The page stays at the broker (an error page, or a receipt with links only). */
  | { method: 'NONE'; html: string };

export interface BrokerSimulator {
  /** Serve a request whose path below the broker's base is `path` (e.g. "/cgi-bin/webscr"). */
  handle(request: Request, path: string): Promise<Response>;
}

/** Header every hosted payment page carries: the id tests pass to the simulator's `act()`. */
export const SESSION_HEADER = 'x-sandbox-session';
