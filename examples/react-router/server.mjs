// @ts-check
import { createRequestHandler } from '@react-router/express';
import express from 'express';
import { RouterContextProvider } from 'react-router';

/**
 * What `react-router build` makes, as this server uses it: a server build whose payments route exports
 * the client-IP context.
 * @typedef {import('react-router').ServerBuild & {
 *   routes: { 'routes/payments': { module: typeof import('./app/routes/payments') } };
 * }} AppBuild
 */

const BUILD = './build/server/index.js'; // made by `react-router build`
/** @type {AppBuild} */
const build = await import(BUILD);
const { clientIpContext } = build.routes['routes/payments'].module;

const app = express();
app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }));
app.use(express.static('build/client'));
// Every request to React Router, with no body parser before it: the bridge reads the raw bytes itself.
app.use(
  createRequestHandler({
    build,
    getLoadContext: (req) => {
      const context = new RouterContextProvider();
      context.set(clientIpContext, req.socket.remoteAddress ?? null);
      return context;
    },
  }),
);
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`listening on http://127.0.0.1:${port}`);
});
