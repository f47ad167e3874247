import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may go (SSRF guard): public unicast addresses only, unless the host, address or range
 * is in the allow-list (WEBHOOK_ALLOWED_TARGETS: "localhost,127.0.0.1,10.1.0.0/16"). Checked when an
 * invoice or connection names a URL, and again before each delivery (the name may resolve elsewhere by then).
 */
export type TargetVerdict = { allowed: true } | { allowed: false; reason: string };

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export class WebhookTargetPolicy {
  private readonly hosts = new Set<string>();
  private readonly ranges: Range[] = [];

  constructor(allowList: readonly string[] = []) {
    for (const raw of allowList.map((e) => e.trim().toLowerCase()).filter(Boolean)) {
      if (raw.includes('/')) this.ranges.push(ipaddr.parseCIDR(raw));
      else if (ipaddr.isValid(raw))
        this.ranges.push([ipaddr.parse(raw), ipaddr.parse(raw).kind() === 'ipv4' ? 32 : 128]);
      else this.hosts.add(raw);
    }
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): WebhookTargetPolicy {
    return new WebhookTargetPolicy((env.WEBHOOK_ALLOWED_TARGETS ?? '').split(','));
  }

  private allowedAddress(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    return this.ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
  }

  async check(url: string): Promise<TargetVerdict> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { allowed: false, reason: 'not a URL' };
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      return { allowed: false, reason: 'only http and https URLs are allowed' };
    const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.hosts.has(host)) return { allowed: true };
    let addresses: string[];
    if (ipaddr.isValid(host)) addresses = [host];
    else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
      } catch {
        return { allowed: false, reason: `the host ${host} does not resolve` };
      }
    }
    for (const text of addresses) {
      let address = ipaddr.parse(text);
      // ::ffff:10.0.0.1 is 10.0.0.1.
      if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
        address = (address as ipaddr.IPv6).toIPv4Address();
      if (this.allowedAddress(address)) continue;
      const range = address.range();
      if (range !== 'unicast') {
        return {
          allowed: false,
          reason:
            `${host} is a ${range} address (${address.toString()}): webhooks may only target public addresses ` +
            '(allow one explicitly with WEBHOOK_ALLOWED_TARGETS)',
        };
      }
    }
    return { allowed: true };
  }
}
