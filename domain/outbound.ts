import ipaddr from 'ipaddr.js';

/**
 * Which addresses Parley's outbound calls (the assignment webhook, flow http nodes) may reach: public
 * unicast addresses only, unless the operator's allow-list (PARLEY_OUTBOUND_ALLOW) names the host or
 * its address range. Guards against server-side request forgery: an admin-written URL must not reach
 * the cloud metadata service (169.254.169.254), PostgreSQL, Temporal or anything else on the inside.
 * Pure checks here; activities/outbound-http.ts resolves names and connects only to checked addresses.
 */
export interface OutboundPolicy {
  /** Host names (lower case, no trailing dot) the operator allows, whatever they resolve to. */
  readonly hosts: ReadonlySet<string>;
  /** Address ranges the operator allows. */
  readonly ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

/** Default largest answer an outbound call reads: a flow's variables or an agent list, not a download (the flow's answer is kept in its workflow history). */
export const DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES = 64 * 1024;

export const STRICT_OUTBOUND_POLICY: OutboundPolicy = { hosts: new Set(), ranges: [] };

/** Name suffixes that only ever mean something inside a network. */
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa', '.lan', '.intranet', '.corp'];

/**
 * Parses the allow-list: comma-separated host names, IP addresses and CIDR ranges, e.g.
 * `hooks.internal, 10.20.0.0/16, 127.0.0.1, ::1`. Throws naming the entry it cannot read.
 */
export function parseOutboundAllow(list: string): OutboundPolicy {
  const hosts = new Set<string>();
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const raw of list.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const bare = entry.replace(/^\[(.*)\]$/, '$1');
    if (bare.includes('/')) {
      try {
        ranges.push(ipaddr.parseCIDR(bare));
      } catch {
        throw new Error(`allow-list entry "${raw.trim()}" is not a valid CIDR range`);
      }
    } else if (ipaddr.isValid(bare)) {
      const address = ipaddr.parse(bare);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(bare)) {
      hosts.add(bare.replace(/\.$/, ''));
    } else {
      throw new Error(`allow-list entry "${raw.trim()}" is not a host name, IP address or CIDR range`);
    }
  }
  return { hosts, ranges };
}

/** A URL's host as compared here: lower case, without IPv6 brackets or a trailing dot. */
export function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are judged as the IPv4 address they carry. */
function unmapped(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function inAllowedRange(address: ipaddr.IPv4 | ipaddr.IPv6, policy: OutboundPolicy): boolean {
  return policy.ranges.some(([range, bits]) => {
    for (const candidate of [address, unmapped(address)]) {
      if (candidate.kind() === range.kind() && candidate.match(range, bits)) return true;
    }
    return false;
  });
}

/**
 * Why an outbound call may not go to this IP address (its range: `loopback`, `private`, `linkLocal`,
 * `uniqueLocal`, `unspecified`, `multicast`, …), or null when it may: a public unicast address, or
 * one the allow-list names.
 */
export function addressRefusal(ip: string, policy: OutboundPolicy): string | null {
  if (!ipaddr.isValid(ip)) return 'not an IP address';
  const address = ipaddr.parse(ip);
  if (inAllowedRange(address, policy)) return null;
  const range = unmapped(address).range();
  return range === 'unicast' ? null : `${range} address ${ip}`;
}

/**
 * Why this URL may not be called, judged without the network (literal IPs, obviously internal names),
 * or null. The request still checks every address the name resolves to (activities/outbound-http.ts).
 */
export function urlRefusal(url: string, policy: OutboundPolicy): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https URLs are allowed';
  if (parsed.username || parsed.password) return 'it must not carry a user name or password';
  const host = bareHost(parsed.hostname);
  if (policy.hosts.has(host)) return null;
  if (ipaddr.isValid(host)) {
    const refusal = addressRefusal(host, policy);
    return refusal === null ? null : `it points at a ${refusal}; outbound calls go to public addresses only, unless PARLEY_OUTBOUND_ALLOW names it`;
  }
  if (host === 'localhost' || !host.includes('.') || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return `its host "${host}" is an internal name; outbound calls go to public hosts only, unless PARLEY_OUTBOUND_ALLOW names it`;
  }
  return null;
}
