import { PAYBRIDGE_CONFIG_KEYS, type PaybridgeConfig } from '../config';
import { PaybridgeError } from '../errors';
import { isBasePath } from './mount-path';
import { isIpRange } from './trusted-proxy';

/** Every problem with the bridge's configuration, reported at once when it is created. */
export function validateConfig(config: PaybridgeConfig): void {
  const problems: string[] = [];
  for (const key of Object.keys(config ?? {})) {
    if (Object.hasOwn(PAYBRIDGE_CONFIG_KEYS, key)) continue;
    const meant = Object.keys(PAYBRIDGE_CONFIG_KEYS).find(
      (known) => known.toLowerCase() === key.toLowerCase(),
    );
    problems.push(`${key}: unknown setting${meant ? ` (did you mean \`${meant}\`?)` : ''}`);
  }
  // Without a resolver, the only way to start a payment is a signed button (which needs `secret`).
  if (typeof config.orders?.resolve !== 'function' && config.secret === undefined)
    problems.push(
      'orders.resolve: required to start payments by order id (or set `secret` to start them from signed buttons only)',
    );
  if (!Array.isArray(config.backends) || config.backends.length === 0)
    problems.push('backends: at least one backend is required');
  const seen = new Set<string>();
  for (const backend of config.backends ?? []) {
    if (!backend || typeof backend.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(backend.id)) {
      problems.push(
        `backends: invalid backend id ${JSON.stringify(backend?.id)} (lower-case letters, digits, dashes)`,
      );
      continue;
    }
    if (seen.has(backend.id)) problems.push(`backends: "${backend.id}" is configured twice`);
    seen.add(backend.id);
  }
  if (config.baseUrl !== undefined) {
    try {
      const url = new URL(config.baseUrl);
      if (!/^https?:$/.test(url.protocol)) problems.push('baseUrl: must be http(s)');
    } catch {
      problems.push('baseUrl: must be an absolute URL');
    }
  }
  if (config.basePath !== undefined && !isBasePath(config.basePath))
    problems.push('basePath: must be a path starting with "/" (no query or fragment), or "" for the root');
  if (Array.isArray(config.trustProxy)) {
    for (const range of config.trustProxy) {
      if (typeof range !== 'string' || !isIpRange(range))
        problems.push(`trustProxy: ${JSON.stringify(range)} is not an IP address or CIDR range`);
    }
  }
  if (config.secret !== undefined && config.secret.length < 32)
    problems.push('secret: must be at least 32 characters');
  for (const [key, value] of [
    ['maxBodyBytes', config.maxBodyBytes],
    ['paymentTtlSeconds', config.paymentTtlSeconds],
    ['outboundTimeoutMs', config.outboundTimeoutMs],
    ['listenerTimeoutMs', config.listenerTimeoutMs],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0))
      problems.push(`${key}: must be a positive integer`);
  }
  if (config.buttonTtlSeconds !== undefined && config.buttonTtlSeconds !== null) {
    if (!(Number.isSafeInteger(config.buttonTtlSeconds) && config.buttonTtlSeconds > 0))
      problems.push('buttonTtlSeconds: must be a positive integer, or null for buttons that never expire');
  }
  if (config.pullIntervalSeconds !== undefined) {
    if (!(Number.isSafeInteger(config.pullIntervalSeconds) && config.pullIntervalSeconds >= 0))
      problems.push('pullIntervalSeconds: must be an integer ≥ 0 (0 = no limit)');
  }
  if (config.logBodyLimitBytes !== undefined) {
    if (!(Number.isSafeInteger(config.logBodyLimitBytes) && config.logBodyLimitBytes >= 256))
      problems.push('logBodyLimitBytes: must be an integer ≥ 256');
  }
  if (problems.length) {
    throw new PaybridgeError('INVALID_CONFIG', `paybridge: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
}
