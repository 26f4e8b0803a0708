import { Exposure } from '@medforge/shared-schema';

export interface SessionHost {
  slug: string;
  exposure: Exposure;
}

const SESSION_HOST = /^s-([a-z2-7]{8})\.(external|internal)\.(.+)$/;

/**
 * `s-<slug>.<exposure>.<domain>` → slug and exposure; anything else (another domain, a malformed or
 * upper-case-tricked slug, a port) is not a session host. Host names are case-insensitive.
 */
export function parseSessionHost(hostname: string, domain: string): SessionHost | null {
  const match = SESSION_HOST.exec(hostname.toLowerCase());
  if (!match || match[3] !== domain.toLowerCase()) return null;
  return { slug: match[1]!, exposure: match[2] === 'internal' ? Exposure.INTERNAL : Exposure.EXTERNAL };
}
