import type { TrustProxy } from '../config';

/** Parse an IPv4 or IPv6 address into 16 bytes (IPv4 as ::ffff:a.b.c.d); null when it is not an address. */
export function parseIp(input: string): Uint8Array | null {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const v4 = parseIpv4(text);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (!text.includes(':')) return null;
  const lastColon = text.lastIndexOf(':');
  const embedded = parseIpv4(text.slice(lastColon + 1));
  if (embedded) {
    const [a = 0, b = 0, c = 0, d = 0] = embedded;
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').map((h) => (/^[0-9a-fA-F]{1,4}$/.test(h) ? Number.parseInt(h, 16) : Number.NaN));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const groups =
    halves.length === 2
      ? [...head, ...new Array(Math.max(0, 8 - head.length - rest.length)).fill(0), ...rest]
      : head;
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff)) return null;
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** Does `ip` fall inside `cidr` ("10.0.0.0/8", "::1", "192.168.1.7")? */
export function ipInRange(ip: string, cidr: string): boolean {
  const bits = prefixBits(cidr);
  const address = parseIp(ip);
  const network = parseIp(cidr.split('/')[0] ?? '');
  if (!address || !network || bits === null) return false;
  for (let i = 0, left = bits; i < 16 && left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if ((address[i]! & mask) !== (network[i]! & mask)) return false;
  }
  return true;
}

/** Prefix length of a range on the 128-bit scale (IPv4 ranges are mapped); null when malformed. */
function prefixBits(cidr: string): number | null {
  const parts = cidr.split('/');
  if (parts.length > 2) return null;
  const [range = '', bitsText] = parts;
  if (!parseIp(range)) return null;
  const isV4 = parseIpv4(range.trim()) !== null;
  if (bitsText === undefined) return 128;
  // Digits only: "10.0.0.0/" or "/-1" must not silently widen the range.
  if (!/^\d{1,3}$/.test(bitsText.trim())) return null;
  const bits = Number(bitsText) + (isV4 ? 96 : 0);
  return bits <= 128 && (!isV4 || Number(bitsText) <= 32) ? bits : null;
}

/** Is `range` a well-formed IP or CIDR ("10.0.0.0/8", "2001:db8::/32", "::1")? */
export function isIpRange(range: string): boolean {
  return prefixBits(range) !== null;
}

export function proxyTrust(trust: TrustProxy | undefined): (ip: string) => boolean {
  if (trust === undefined || trust === false) return () => false;
  if (trust === true) return () => true;
  if (typeof trust === 'function') return trust;
  const ranges = [...trust];
  return (ip) => ranges.some((range) => ipInRange(ip, range));
}

/**
 * The client's address: the connection's peer, or — only when that peer is a trusted proxy — the
 * right-most address of X-Forwarded-For that is not itself a trusted proxy.
 */
export function resolveClientIp(
  headers: Headers,
  peer: string | null | undefined,
  isTrusted: (ip: string) => boolean,
): string | null {
  const direct = peer ? normalizeIp(peer) : null;
  if (!direct || !isTrusted(direct)) return direct;
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const candidate = normalizeIp(forwarded[i]!);
    if (!parseIp(candidate)) return direct;
    if (!isTrusted(candidate)) return candidate;
  }
  return forwarded.length ? normalizeIp(forwarded[0]!) : direct;
}

/** "::ffff:127.0.0.1" → "127.0.0.1", "[::1]" → "::1". */
export function normalizeIp(ip: string): string {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  return mapped ? (mapped[1] as string) : text;
}

/** The public origin + mount path: configured, else the request's (forwarded headers only from a trusted proxy). */
export function resolveBaseUrl(
  configured: string | undefined,
  request: Request,
  mountPath: string,
  peerTrusted: boolean,
): string {
  if (configured) return configured.replace(/\/+$/, '');
  const url = new URL(request.url);
  let origin = url.origin;
  if (peerTrusted) {
    // Each header on its own: many proxies set only X-Forwarded-Proto and pass Host through.
    const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    const scheme = proto && /^https?$/.test(proto) ? proto : url.protocol.slice(0, -1);
    const authority = host && /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host) ? host : url.host;
    origin = `${scheme}://${authority}`;
  }
  return `${origin}${mountPath}`.replace(/\/+$/, '');
}
