import { createContext } from 'react-router';

/**
 * The TCP peer's address: server.mjs sets it for every request (React Router 8 runs with middleware).
 * Null where nothing sets it (`react-router dev`): the bridge then sees no client IP.
 */
export const clientIpContext = createContext<string | null>(null);
