import { lazy } from './lazy';

/**
 * The bridge's routes and operations (`routes-and-operations.ts`), loaded by the first request or
 * operation call and kept: creating a bridge loads none of them.
 */
export const routesAndOperations = lazy(() => import('../routes-and-operations'));

export type RoutesAndOperations = Awaited<ReturnType<typeof routesAndOperations>>;
