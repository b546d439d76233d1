import { paymentsRoute } from '../payments.server';

// Two plain exports: React Router's build strips `loader`/`action` from the client bundle, which it
// cannot do for a destructured `export const { loader, action } = …`.
export const loader = paymentsRoute.loader;
export const action = paymentsRoute.action;
