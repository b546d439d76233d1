import { createRequestHandler } from '@react-router/express';
import express from 'express';
import { RouterContextProvider } from 'react-router';

const build = await import('./build/server/index.js'); // made by `react-router build`
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
      context.set(clientIpContext, req.socket.remoteAddress);
      return context;
    },
  }),
);
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
