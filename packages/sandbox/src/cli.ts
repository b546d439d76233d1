import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { createSandbox } from './index';

/**
 * `paybridge-sandbox --port 4000`: the three broker simulators on one local port, with a real clock,
 * delivering their server-to-server calls in the background. Point a backend's `endpoint` at
 * http://127.0.0.1:4000/<paypal|payu|cmcic>.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    'public-url': { type: 'string' },
    'cmcic-retour': { type: 'string', description: 'return-interface URL of the default CM-CIC test TPE' },
    'stripe-webhook': { type: 'string' },
    'stripe-webhook-secret': { type: 'string' },
    'stripe-connect-webhook': { type: 'string' },
    'stripe-connect-webhook-secret': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`paybridge-sandbox [--port 4000] [--host 127.0.0.1] [--public-url http://127.0.0.1:4000]
  [--stripe-webhook URL [--stripe-webhook-secret whsec_…]] [--stripe-connect-webhook URL [--stripe-connect-webhook-secret whsec_…]]

Serves local simulators of PayPal (/paypal), PayU (/payu), CM-CIC (/cmcic) and Stripe (/stripe, API
also at /v1 for the official client's host/port/protocol). See the package README for the test
credentials, test cards and fault injection.`);
  process.exit(0);
}

const port = Number(values.port);
const publicUrl = (values['public-url'] ?? `http://${values.host}:${port}`).replace(/\/+$/, '');
const stripeWebhooks = [
  { url: values['stripe-webhook'], secret: values['stripe-webhook-secret'], connect: false },
  { url: values['stripe-connect-webhook'], secret: values['stripe-connect-webhook-secret'], connect: true },
].flatMap(({ url, secret, connect }) => {
  if (!url) return [];
  if (!secret?.startsWith('whsec_')) {
    console.error(
      'paybridge-sandbox: a Stripe webhook URL needs its --…-webhook-secret whsec_… (the merchant verifies with it)',
    );
    process.exit(2);
  }
  return [{ url, connect, secret }];
});
const sandbox = createSandbox({ baseUrl: publicUrl, stripe: { webhooks: stripeWebhooks } });
sandbox.start();

async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const body =
    chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? '/', publicUrl), { method: req.method ?? 'GET', headers, body });
}

async function respond(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

const server = createServer((req, res) => {
  toRequest(req)
    .then((request) => sandbox.handler(request))
    .then((response) => respond(res, response))
    .catch((error: unknown) => {
      res.statusCode = 500;
      res.end(`sandbox error: ${error instanceof Error ? error.message : String(error)}`);
    });
});
server.listen(port, values.host, () => {
  console.log(
    `paybridge sandbox listening on ${publicUrl}  (PayPal ${publicUrl}/paypal · PayU ${publicUrl}/payu · CM-CIC ${publicUrl}/cmcic · Stripe ${publicUrl}/stripe)`,
  );
  // The secret is the merchant's own test configuration; print which endpoints exist, never the secret.
  for (const endpoint of sandbox.stripe.webhookEndpoints()) {
    console.log(`Stripe webhooks → ${endpoint.url}${endpoint.connect ? ' (Connect)' : ''}`);
  }
});
const stop = () => {
  sandbox.stop();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
