import { h, type VNode } from 'vue';
import { styles } from './styles';

/**
 * A link (`pb-link pb-link-<name>`) to `url` when it is safe to render: http(s) or relative. The
 * URLs come from the shop's own configuration and server, but a `javascript:` link would run in the
 * shop's origin when clicked, so any other scheme renders no link at all. Works during server
 * rendering (no `document` there).
 */
export function safeLink(url: string | null | undefined, label: string, name: string): VNode | null {
  if (!url) return null;
  try {
    const { protocol } = new URL(url, globalThis.document?.baseURI ?? 'https://ssr.invalid/');
    if (protocol !== 'https:' && protocol !== 'http:') return null;
  } catch {
    return null;
  }
  return h('a', { href: url, class: `pb-link pb-link-${name}`, style: styles.link }, label);
}
