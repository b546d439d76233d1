import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import {
  createSandbox,
  credentialsText,
  DEFAULT_CMCIC_TPES,
  DEFAULT_MAX_BODY_BYTES,
  offsetClock,
  RAZORPAY_SANDBOX_KEY_ID,
  RAZORPAY_SANDBOX_KEY_SECRET,
} from './index';

/**
 * `paybridge-sandbox --port 4000`: the three broker simulators on one local port, with a real clock
 * that the control routes can move forward, delivering their server-to-server calls in the background.
 */
const HELP = `paybridge-sandbox [options]

Serves local simulators of PayPal (/paypal), PayU (/payu), CM-CIC (/cmcic), Przelewy24 (/przelewy24), Razorpay (/razorpay),
Flutterwave (/flutterwave/v3) and Stripe (/stripe, API also at /v1 for the official client's host/port/protocol), and JSON control routes (/_control). Test credentials, cards and control routes are printed at start-up and listed in
the package README.

  --port <n>                 port to listen on (default 4000, or $PORT)
  --host <addr>              address to bind (default 127.0.0.1)
  --public-url <url>         URL the browser and your app use to reach the sandbox
                             (default http://<host>:<port>)
  --allow-delivery <prefix>  let IPNs and PayU notifications go to URLs starting with <prefix>
                             (scheme://host:port[/path]); repeatable. Default: none, so every
                             notification is refused until you name your app, e.g.
                             --allow-delivery http://localhost:3000
  --cmcic-retour <url>       return-interface (CGI2) URL of the CM-CIC test terminals
                             (always allowed: it is your own configuration)
  --cmcic-mode <mode>        immediate (default), deferred or partial: how the bank collects
                             the test terminals' payments (capture_paiement.cgi)
  --stripe-webhook <url>     where Stripe's signed webhooks go (always allowed), with
  --stripe-webhook-secret <whsec_…>   the secret the merchant verifies them with
  --stripe-connect-webhook <url>, --stripe-connect-webhook-secret <whsec_…>   the same for Connect events
  --razorpay-webhook <url>   where Razorpay's signed webhooks go (always allowed), with
  --razorpay-webhook-secret <secret>   the webhook secret the merchant verifies them with
  --flutterwave-webhook <url>  the Flutterwave dashboard's webhook URL (always allowed); webhooks
                             carry verif-hash = the sandbox secret hash printed below
  --no-control               do not serve the /_control routes
  --help                     this text`;

function fail(message: string): never {
  console.error(`paybridge-sandbox: ${message}\n\n${HELP}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      'public-url': { type: 'string' },
      'allow-delivery': { type: 'string', multiple: true, default: [] },
      'cmcic-retour': { type: 'string' },
      'cmcic-mode': { type: 'string', default: 'immediate' },
      'stripe-webhook': { type: 'string' },
      'stripe-webhook-secret': { type: 'string' },
      'stripe-connect-webhook': { type: 'string' },
      'stripe-connect-webhook-secret': { type: 'string' },
      'razorpay-webhook': { type: 'string' },
      'razorpay-webhook-secret': { type: 'string' },
      'flutterwave-webhook': { type: 'string' },
      'no-control': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values } = parsed;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port number`);
const publicUrl = (values['public-url'] ?? `http://${values.host}:${port}`).replace(/\/+$/, '');
const retourUrl = values['cmcic-retour'] ?? '';
if (retourUrl && !/^https?:\/\//.test(retourUrl)) fail('--cmcic-retour must be an http(s) URL');
const cmcicMode = values['cmcic-mode'];
if (cmcicMode !== 'immediate' && cmcicMode !== 'deferred' && cmcicMode !== 'partial') {
  fail('--cmcic-mode must be immediate, deferred or partial');
}

const stripeWebhooks = [
  { url: values['stripe-webhook'], secret: values['stripe-webhook-secret'], connect: false },
  { url: values['stripe-connect-webhook'], secret: values['stripe-connect-webhook-secret'], connect: true },
].flatMap(({ url, secret, connect }) => {
  if (!url) return [];
  if (!/^https?:\/\//.test(url)) fail('a Stripe webhook URL must be an http(s) URL');
  if (!secret?.startsWith('whsec_')) {
    fail('a Stripe webhook URL needs its --…-webhook-secret whsec_… (the merchant verifies with it)');
  }
  return [{ url, connect, secret }];
});
const razorpayWebhooks = values['razorpay-webhook']
  ? [{ url: values['razorpay-webhook'], secret: values['razorpay-webhook-secret'] ?? '' }]
  : [];
for (const { url, secret } of razorpayWebhooks) {
  if (!/^https?:\/\//.test(url)) fail('--razorpay-webhook must be an http(s) URL');
  if (!secret) fail('--razorpay-webhook needs --razorpay-webhook-secret (the merchant verifies with it)');
}
// Webhook URLs named on the command line are the owner's own configuration, like --cmcic-retour.
const ownWebhookPrefixes = [...stripeWebhooks, ...razorpayWebhooks].map(({ url }) => {
  const parsedUrl = new URL(url);
  return `${parsedUrl.origin}${parsedUrl.pathname}`;
});

const flutterwaveWebhook = values['flutterwave-webhook'];
if (flutterwaveWebhook && !/^https?:\/\//.test(flutterwaveWebhook))
  fail('--flutterwave-webhook must be an http(s) URL');

let sandbox: ReturnType<typeof createSandbox>;
try {
  sandbox = createSandbox({
    baseUrl: publicUrl,
    clock: offsetClock(),
    deliveryAllowList: [...values['allow-delivery'], ...ownWebhookPrefixes],
    controlRoutes: !values['no-control'],
    stripe: { webhooks: stripeWebhooks },
    razorpay: { webhooks: razorpayWebhooks },
    flutterwave: { webhookUrl: flutterwaveWebhook ?? null },
  });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
for (const tpe of DEFAULT_CMCIC_TPES) sandbox.cmcic.addTpe({ ...tpe, retourUrl, mode: cmcicMode });
sandbox.start();

class TooLarge extends Error {}

/** The request with its body read up to the sandbox's limit (413 past it, without reading the rest). */
async function toRequest(req: IncomingMessage): Promise<Request> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > DEFAULT_MAX_BODY_BYTES) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DEFAULT_MAX_BODY_BYTES) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
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
      if (error instanceof TooLarge) {
        res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end(`The request body is larger than ${DEFAULT_MAX_BODY_BYTES} bytes.`);
        return;
      }
      res.statusCode = 500;
      res.end(`sandbox error: ${error instanceof Error ? error.message : String(error)}`);
    });
});
server.requestTimeout = 30_000;
server.headersTimeout = 10_000;
server.listen(port, values.host, () => {
  const allowed = sandbox.deliveryAllowList ?? [];
  console.log(
    [
      `paybridge sandbox listening on ${publicUrl}`,
      `  PayPal ${publicUrl}/paypal · PayU ${publicUrl}/payu · CM-CIC ${publicUrl}/cmcic · Stripe ${publicUrl}/stripe · Przelewy24 ${publicUrl}/przelewy24 · Razorpay ${publicUrl}/razorpay · Flutterwave ${publicUrl}/flutterwave/v3`,
      values['no-control'] ? '  control routes off' : `  control routes ${publicUrl}/_control`,
      allowed.length
        ? `  notifications delivered to: ${allowed.join(', ')}`
        : '  notifications delivered to: NO URL (pass --allow-delivery <your app URL>)',
      '',
      credentialsText(sandbox.credentials()),
    ].join('\n'),
  );
  for (const m of sandbox.przelewy24.merchants) {
    console.log(`Przelewy24 merchantId ${m.merchantId}  posId ${m.posId}  CRC ${m.crc}  API key ${m.apiKey}`);
  }
  // The secret is the merchant's own test configuration; print which endpoints exist, never the secret.
  console.log(
    `Flutterwave secret key ${sandbox.flutterwave.config.secretKeys[0]}  secret hash ${sandbox.flutterwave.config.secretHash}  (hosted page: Pay / Decline / Cancel)`,
  );
  if (sandbox.flutterwave.config.webhookUrl) {
    console.log(`Flutterwave webhooks → ${sandbox.flutterwave.config.webhookUrl}`);
  }
  for (const endpoint of sandbox.stripe.webhookEndpoints()) {
    console.log(`Stripe webhooks → ${endpoint.url}${endpoint.connect ? ' (Connect)' : ''}`);
  }
  console.log(
    `Razorpay test key: ${RAZORPAY_SANDBOX_KEY_ID} / ${RAZORPAY_SANDBOX_KEY_SECRET} (public test values)`,
  );
  for (const webhook of sandbox.razorpay.config.webhooks) console.log(`Razorpay webhooks → ${webhook.url}`);
});
const stop = () => {
  sandbox.stop();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
