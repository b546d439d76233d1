import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_BODY_BYTES } from './index';
import {
  createStandaloneSandbox,
  STANDALONE_FLAGS,
  StandaloneOptionError,
  standaloneBanner,
} from './standalone';

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
      ...STANDALONE_FLAGS,
      port: { type: 'string', default: process.env.PORT ?? '4000' },
      host: { type: 'string', default: '127.0.0.1' },
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

let sandbox: ReturnType<typeof createStandaloneSandbox>;
try {
  sandbox = createStandaloneSandbox(publicUrl, values);
} catch (error) {
  fail(
    error instanceof StandaloneOptionError
      ? `${error.message} (${error.fix})`
      : error instanceof Error
        ? error.message
        : String(error),
  );
}

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
  console.log(standaloneBanner(sandbox, publicUrl, !values['no-control']));
});
const stop = () => {
  sandbox.stop();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
