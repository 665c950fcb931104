import ipaddr from 'ipaddr.js';
import type { Problem } from '../errors';

/*
 * Where a webhook may send a tenant's data. Outbound calls are a server-side request forgery
 * risk: a URL pointing at 169.254.169.254 (the cloud metadata service), at a private network
 * or at the machine itself would let a tenant administrator reach what only the platform
 * should. So only public unicast addresses are reached, over https — unless the tenant's
 * settings name the host in `webhooks.allowHosts`, which is how local development reaches a
 * receiver on 127.0.0.1. The same rules run at publish time on the URL (here, pure) and at
 * delivery time on the address the name resolves to (`functions/webhooks/send.ts`).
 */

/** ipaddr.js ranges a webhook may reach: public unicast only. Everything else (private, loopback, link-local, unique-local, CGNAT, multicast, reserved, NAT64, 6to4, Teredo …) is refused. */
const REACHABLE = new Set(['unicast']);

/** Names that always mean this machine (RFC 6761). */
const LOCAL_NAME = /(^|\.)localhost\.?$/i;

/** The range name when an IP address may not be reached (`loopback`, `private`, `linkLocal` …), null when it may. */
export function addressRefusal(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it carries.
  const range = ipaddr.process(address).range();
  return REACHABLE.has(range) ? null : range;
}

/** A URL's host without IPv6 brackets, lower-case. */
export const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

const defaultPort = (url: URL): string => url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');

/**
 * Whether the tenant's settings allow this URL's host: an entry `host` allows every port,
 * `host:port` (`[::1]:8080` for IPv6) that port only. Names compare case-insensitively.
 */
export function hostAllowed(url: URL, allowHosts: readonly string[] | undefined): boolean {
  if (!allowHosts?.length) return false;
  const host = bareHost(url);
  const port = defaultPort(url);
  return allowHosts.some((entry) => {
    const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(entry.trim().toLowerCase()) ?? /^([0-9a-f:]+)$/.exec(entry.trim().toLowerCase());
    if (!m) return false;
    const name = m[1] ?? m[2] ?? '';
    return name === host && (m[3] === undefined || m[3] === port);
  });
}

/** Whether an `allowHosts` entry is a host or host:port. */
export function allowHostProblem(entry: string): string | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+|[0-9a-fA-F:]+))(?::(\d{1,5}))?$/.exec(entry);
  if (!m) return 'a host name or address, optionally with :port (IPv6 in brackets with a port)';
  if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) return 'a port between 1 and 65535';
  return null;
}

/** Longest URL a webhook may have. */
export const MAX_URL_LENGTH = 2048;

/**
 * Problems of a webhook URL at `path`, knowing only the text and the settings: not a URL,
 * not http(s), credentials in it (metadata lives in git), http or a private address or
 * `localhost` outside `allowHosts`. Names that resolve to private addresses are caught at
 * delivery time.
 */
export function webhookUrlProblems(raw: string, allowHosts: readonly string[] | undefined, path: string): Problem[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [{ path, code: 'format', message: 'must be an absolute URL' }];
  }
  if (raw.length > MAX_URL_LENGTH) return [{ path, code: 'tooLong', message: `at most ${MAX_URL_LENGTH} characters`, params: { limit: MAX_URL_LENGTH } }];
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return [{ path, code: 'insecureUrl', message: 'a webhook URL is https', params: { protocol: url.protocol } }];
  if (url.username || url.password) return [{ path, code: 'credentialsInUrl', message: 'a webhook URL carries no user name or password: metadata is kept in git; check the signature instead' }];
  const allowed = hostAllowed(url, allowHosts);
  if (allowed) return [];
  const problems: Problem[] = [];
  if (url.protocol !== 'https:') {
    problems.push({ path, code: 'insecureUrl', message: `a webhook URL is https (http only to a host in settings.webhooks.allowHosts)`, params: { host: bareHost(url) } });
  }
  const host = bareHost(url);
  const refusal = ipaddr.isValid(host) ? addressRefusal(host) : LOCAL_NAME.test(host) ? 'loopback' : null;
  if (refusal) {
    problems.push({ path, code: 'privateAddress', message: `${host} is a ${refusal} address; webhooks reach public addresses only, unless settings.webhooks.allowHosts names the host`, params: { host, range: refusal } });
  }
  return problems;
}
