import type { ApiCall } from './context';
import { randomToken, StripeFailure } from './http';
import { base, newId, type StripeObject, type StripeState, type WebhookEndpoint } from './model';

export interface WebhookEndpointOptions {
  url: string;
  /** Defaults to a fresh `whsec_…`. */
  secret?: string;
  /** Receive connected accounts' events (Connect endpoint). Default false. */
  connect?: boolean;
  /** Default `['*']`. */
  enabledEvents?: string[];
}

export function addEndpoint(
  state: StripeState,
  options: WebhookEndpointOptions,
  account: string | null = null,
  ownerConfigured = true,
): WebhookEndpoint {
  const endpoint: WebhookEndpoint = {
    id: newId('we', 24),
    url: options.url,
    secret: options.secret ?? `whsec_${randomToken(32)}`,
    connect: options.connect ?? false,
    enabledEvents: options.enabledEvents ?? ['*'],
    apiVersion: state.config.apiVersion,
    account,
    ownerConfigured,
    previousSecrets: [],
  };
  state.endpoints.push(endpoint);
  return endpoint;
}

function render(state: StripeState, e: WebhookEndpoint, withSecret: boolean): StripeObject {
  return {
    ...base(state, 'webhook_endpoint', e.id),
    api_version: e.apiVersion,
    application: null,
    connect: e.connect,
    enabled_events: e.enabledEvents,
    metadata: {},
    ...(withSecret ? { secret: e.secret } : {}),
    status: 'enabled',
    url: e.url,
  };
}

/** `POST /v1/webhook_endpoints`: the secret is only in this answer (reference §5.1). */
export function createEndpoint(call: ApiCall): StripeObject {
  const p = call.params.onlyKnown([
    'url',
    'enabled_events',
    'api_version',
    'connect',
    'description',
    'metadata',
  ]);
  const url = p.requiredString('url');
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw StripeFailure.invalid('Invalid URL: must be an http or https URL.', 'url', 'url_invalid');
  }
  // Anyone who reaches the sandbox can call its API: its endpoints follow the delivery allow-list.
  const refusal = call.state.env.queue.refusal(url);
  if (refusal) throw StripeFailure.invalid(refusal, 'url', 'url_invalid');
  const events = p.strings('enabled_events');
  if (events.length === 0)
    throw StripeFailure.invalid(
      'Missing required param: enabled_events.',
      'enabled_events',
      'parameter_missing',
    );
  const endpoint = addEndpoint(
    call.state,
    { url, enabledEvents: events, connect: p.boolean('connect') ?? false },
    call.account,
    false,
  );
  endpoint.apiVersion = p.string('api_version') ?? endpoint.apiVersion;
  return render(call.state, endpoint, true);
}

function find(call: ApiCall, id: string): WebhookEndpoint {
  const endpoint = call.state.endpoints.find((e) => e.id === id && e.account === call.account);
  if (!endpoint) throw StripeFailure.missing('webhook_endpoint', id);
  return endpoint;
}

export const retrieveEndpoint = (call: ApiCall, id: string): StripeObject =>
  render(call.state, find(call, id), false);

export function listEndpoints(call: ApiCall): Record<string, unknown> {
  call.params.onlyKnown(['limit']);
  const data = call.state.endpoints
    .filter((e) => e.account === call.account)
    .map((e) => render(call.state, e, false));
  return { object: 'list', data, has_more: false, url: '/v1/webhook_endpoints' };
}

export function deleteEndpoint(call: ApiCall, id: string): Record<string, unknown> {
  const endpoint = find(call, id);
  call.state.endpoints.splice(call.state.endpoints.indexOf(endpoint), 1);
  return { id, object: 'webhook_endpoint', deleted: true };
}
