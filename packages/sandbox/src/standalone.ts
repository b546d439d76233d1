// A cycle with ./index, which re-exports this module: createSandbox is only called at run time.
import { createSandbox, type Sandbox } from './index';
import { offsetClock } from './lib/clock';
import { RAZORPAY_SANDBOX_KEY_ID, RAZORPAY_SANDBOX_KEY_SECRET } from './razorpay/index';
import { credentialsText, DEFAULT_CMCIC_TPES } from './test-credentials';

/**
 * The standalone sandbox's command-line options, shared by `paybridge-sandbox` and `paybridge sandbox`
 * (@paybridge/cli), so both serve the same simulators the same way. Keys are the flag names.
 */
export const STANDALONE_FLAGS = {
  'public-url': {
    type: 'string',
    valueName: 'url',
    description: 'URL the browser and your app reach the sandbox at (default http://<host>:<port>)',
  },
  'allow-delivery': {
    type: 'string',
    valueName: 'prefix',
    multiple: true,
    description:
      'let notifications go to URLs starting with this prefix, e.g. http://localhost:3000 (repeatable)',
  },
  'cmcic-retour': {
    type: 'string',
    valueName: 'url',
    description: 'return-interface (CGI2) URL of the CM-CIC test terminals (always allowed)',
  },
  'cmcic-mode': {
    type: 'string',
    valueName: 'mode',
    description:
      'how the bank collects the test terminals’ payments: immediate (default), deferred or partial',
  },
  'stripe-webhook': {
    type: 'string',
    valueName: 'url',
    description: 'where Stripe’s signed webhooks go (always allowed), with --stripe-webhook-secret',
  },
  'stripe-webhook-secret': {
    type: 'string',
    valueName: 'whsec_…',
    description: 'the signing secret your Stripe backend verifies webhooks with',
  },
  'stripe-connect-webhook': {
    type: 'string',
    valueName: 'url',
    description: 'where Stripe Connect events go, with --stripe-connect-webhook-secret',
  },
  'stripe-connect-webhook-secret': {
    type: 'string',
    valueName: 'whsec_…',
    description: 'the signing secret of the Connect webhook endpoint',
  },
  'razorpay-webhook': {
    type: 'string',
    valueName: 'url',
    description: 'where Razorpay’s signed webhooks go (always allowed), with --razorpay-webhook-secret',
  },
  'razorpay-webhook-secret': {
    type: 'string',
    valueName: 'secret',
    description: 'the webhook secret your Razorpay backend verifies webhooks with',
  },
  'flutterwave-webhook': {
    type: 'string',
    valueName: 'url',
    description:
      'the Flutterwave dashboard’s webhook URL (always allowed; verif-hash = the secret hash printed)',
  },
  'no-control': { type: 'boolean', description: 'do not serve the /_control routes' },
} as const;

/** Parsed values of STANDALONE_FLAGS (`node:util` parseArgs output). */
export type StandaloneValues = {
  [K in keyof typeof STANDALONE_FLAGS]?: (typeof STANDALONE_FLAGS)[K] extends { multiple: true }
    ? string[]
    : (typeof STANDALONE_FLAGS)[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

/** A standalone option that cannot be served as given: what is wrong, and what to pass instead. */
export class StandaloneOptionError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'StandaloneOptionError';
  }
}

/** Where each simulator is reached below the sandbox's URL: the value of a backend's `endpoint` setting. */
export const BROKER_BASE_PATHS: Readonly<Record<string, string>> = {
  paypal: '/paypal',
  payu: '/payu',
  cmcic: '/cmcic',
  stripe: '/stripe',
  przelewy24: '/przelewy24',
  razorpay: '/razorpay',
  flutterwave: '/flutterwave/v3',
};

const isHttpUrl = (value: string) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

function httpUrl(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && !isHttpUrl(value))
    throw new StandaloneOptionError(
      `--${flag} ${value} is not an http(s) URL`,
      `pass an absolute URL, e.g. --${flag} http://localhost:3000/payments/notify/…`,
    );
  return value;
}

function stripeWebhooks(values: StandaloneValues) {
  return [
    ['stripe-webhook', 'stripe-webhook-secret', false],
    ['stripe-connect-webhook', 'stripe-connect-webhook-secret', true],
  ].flatMap(([urlFlag, secretFlag, connect]) => {
    const url = httpUrl(urlFlag as string, values[urlFlag as 'stripe-webhook']);
    if (!url) return [];
    const secret = values[secretFlag as 'stripe-webhook-secret'];
    if (!secret?.startsWith('whsec_'))
      throw new StandaloneOptionError(
        `--${urlFlag} needs --${secretFlag} whsec_… (the merchant verifies with it)`,
        `pass --${secretFlag} with the whsec_… secret of your Stripe backend's settings`,
      );
    return [{ url, secret, connect: connect as boolean }];
  });
}

function razorpayWebhooks(values: StandaloneValues) {
  const url = httpUrl('razorpay-webhook', values['razorpay-webhook']);
  if (!url) return [];
  const secret = values['razorpay-webhook-secret'];
  if (!secret)
    throw new StandaloneOptionError(
      '--razorpay-webhook needs --razorpay-webhook-secret (the merchant verifies with it)',
      'pass --razorpay-webhook-secret with the webhook secret of your Razorpay backend’s settings',
    );
  return [{ url, secret }];
}

/**
 * A sandbox served at `publicUrl` as the command lines configure it: a real clock the control routes
 * can move forward, the default CM-CIC test terminals, webhooks to the URLs named, deliveries to the
 * allowed prefixes. Started: its server-to-server calls go out in the background until `stop()`.
 */
export function createStandaloneSandbox(publicUrl: string, values: StandaloneValues): Sandbox {
  const allowDelivery = values['allow-delivery'] ?? [];
  for (const prefix of allowDelivery) httpUrl('allow-delivery', prefix);
  const retourUrl = httpUrl('cmcic-retour', values['cmcic-retour']) ?? '';
  const mode = values['cmcic-mode'] ?? 'immediate';
  if (mode !== 'immediate' && mode !== 'deferred' && mode !== 'partial')
    throw new StandaloneOptionError(
      `--cmcic-mode ${mode} is not a collection mode`,
      'pass --cmcic-mode immediate, deferred or partial',
    );
  const stripe = stripeWebhooks(values);
  const razorpay = razorpayWebhooks(values);
  const flutterwaveWebhook = httpUrl('flutterwave-webhook', values['flutterwave-webhook']) ?? null;
  // Webhook URLs named on the command line are the owner's own configuration, like --cmcic-retour.
  const own = [...stripe, ...razorpay].map(({ url }) => `${new URL(url).origin}${new URL(url).pathname}`);
  const sandbox = createSandbox({
    baseUrl: publicUrl,
    clock: offsetClock(),
    deliveryAllowList: [...allowDelivery, ...own],
    controlRoutes: values['no-control'] !== true,
    stripe: { webhooks: stripe },
    razorpay: { webhooks: razorpay },
    flutterwave: { webhookUrl: flutterwaveWebhook },
  });
  for (const tpe of DEFAULT_CMCIC_TPES) sandbox.cmcic.addTpe({ ...tpe, retourUrl, mode });
  sandbox.start();
  return sandbox;
}

/** What the command lines print once listening: each broker's base URL, where calls go, every test credential. */
export function standaloneBanner(sandbox: Sandbox, publicUrl: string, control = true): string {
  const width = Math.max(...sandbox.brokers.map((b) => b.length), 'control'.length);
  const allowed = sandbox.deliveryAllowList ?? [];
  const webhooks = [
    ...sandbox.stripe
      .webhookEndpoints()
      .map((e) => `  Stripe webhooks → ${e.url}${e.connect ? ' (Connect)' : ''}`),
    ...sandbox.razorpay.config.webhooks.map((w) => `  Razorpay webhooks → ${w.url}`),
    ...(sandbox.flutterwave.config.webhookUrl
      ? [`  Flutterwave webhooks → ${sandbox.flutterwave.config.webhookUrl}`]
      : []),
  ];
  const flutterwave = sandbox.flutterwave.config;
  return [
    `paybridge sandbox listening on ${publicUrl}`,
    'Base URLs (each backend’s `endpoint` setting):',
    ...sandbox.brokers.map(
      (broker) => `  ${broker.padEnd(width)}  ${publicUrl}${BROKER_BASE_PATHS[broker] ?? `/${broker}`}`,
    ),
    control ? `  ${'control'.padEnd(width)}  ${publicUrl}/_control` : '  control routes off',
    allowed.length
      ? `Notifications delivered to: ${allowed.join(', ')}`
      : 'Notifications delivered to: NO URL (pass --allow-delivery <your app URL>)',
    ...webhooks,
    '',
    credentialsText(sandbox.credentials()),
    'Przelewy24, Razorpay and Flutterwave test credentials:',
    ...sandbox.przelewy24.merchants.map(
      (m) => `  Przelewy24 merchantId ${m.merchantId}  posId ${m.posId}  CRC ${m.crc}  API key ${m.apiKey}`,
    ),
    `  Razorpay key id ${RAZORPAY_SANDBOX_KEY_ID}  key secret ${RAZORPAY_SANDBOX_KEY_SECRET}`,
    `  Flutterwave secret key ${flutterwave.secretKeys[0]}  secret hash ${flutterwave.secretHash}  (hosted page: Pay / Decline / Cancel)`,
  ].join('\n');
}
