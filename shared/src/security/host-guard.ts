import { BadRequestError, GatewayError, PermissionDeniedError } from '../core/gateway-error.ts';
import type { HostResolver } from '../ports/host-resolver.ts';
import { parseHostAllowList, stripTrailingDot, type HostAllowList } from './host-allow-list.ts';
import { parseIpAddress, type IpAddress } from './ip-address.ts';
import { classifyIpAddress, type AddressKind } from './ip-ranges.ts';

/** Decides whether the gateway may send a request to a URL a caller gave it (SSRF guard). */
export interface HostGuard {
  /**
   * Resolves when the URL may be called; rejects with a GatewayError saying why not. For a
   * host name that had to be resolved to be checked, it resolves to the addresses it checked:
   * the connection must go to one of those (see pinned-host-addresses.ts), or a DNS answer
   * that changes between check and connect (DNS rebinding) could still reach a private
   * address. Undefined for IP literals and names the operator allow-listed.
   */
  assertAllowed(url: string): Promise<CheckedHost | undefined>;
}

/** A host name and the addresses the guard found it to resolve to, every one allowed. */
export interface CheckedHost {
  hostname: string;
  addresses: readonly string[];
}

export interface HostGuardOptions {
  /** Operator exceptions: CIDR ranges, exact host names, or `*.suffix` patterns. */
  allow: readonly string[];
  resolver: HostResolver;
}

const kindDescriptions: Record<Exclude<AddressKind, 'public'>, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  'carrier-grade-nat': 'a carrier-grade NAT address',
  benchmarking: 'a benchmarking address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

/**
 * Builds the guard every caller-supplied URL (`custom_host` and the like) passes through.
 * It refuses non-HTTP schemes, credentials in the URL, `localhost` names, and hosts that
 * are, or resolve to, anything but public addresses (every resolved address must be public),
 * unless the operator's allow list names the host or its range.
 *
 * The check runs on the addresses the resolver sees now, and returns them so that the call
 * connects to exactly those (the HTTP client must not resolve the name again).
 *
 * @example
 * const guard = createHostGuard({ allow: ['*.corp.internal', '10.20.0.0/16'], resolver });
 * await guard.assertAllowed('https://llm.corp.internal/v1'); // resolves
 * await guard.assertAllowed('http://169.254.169.254/latest/meta-data'); // rejects (403)
 */
export function createHostGuard(options: HostGuardOptions): HostGuard {
  const allowList = parseHostAllowList(options.allow);
  const resolver = options.resolver;
  return {
    async assertAllowed(url: string): Promise<CheckedHost | undefined> {
      const parsed = parseUrl(url);
      const hostname = stripTrailingDot(parsed.hostname);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw denied(hostname, `the scheme ${parsed.protocol} is not allowed; use http or https`);
      }
      if (parsed.username !== '' || parsed.password !== '') {
        throw denied(hostname, 'URLs must not carry credentials');
      }
      if (allowList.allowsName(hostname)) return undefined;

      const literal = parseIpAddress(hostname);
      if (literal !== undefined) {
        assertAddressAllowed(allowList, hostname, literal, 'it is');
        return undefined;
      }
      if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
        throw denied(hostname, 'local host names are not allowed');
      }
      const addresses = await resolveAll(resolver, hostname);
      for (const text of addresses) {
        const address = parseIpAddress(text);
        if (address === undefined) throw denied(hostname, 'it resolves to an unrecognised address');
        assertAddressAllowed(allowList, hostname, address, 'it resolves to');
      }
      return { hostname, addresses };
    },
  };
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    // The text itself is not echoed: it may hold credentials or a query string.
    throw new BadRequestError('The URL is not valid.', 'invalid_url');
  }
}

function assertAddressAllowed(allowList: HostAllowList, hostname: string, address: IpAddress, verb: string): void {
  if (allowList.allowsAddress(address)) return;
  const kind = classifyIpAddress(address);
  if (kind !== 'public') throw denied(hostname, `${verb} ${kindDescriptions[kind]}`);
}

async function resolveAll(resolver: HostResolver, hostname: string): Promise<string[]> {
  let addresses: string[];
  try {
    addresses = await resolver.resolve(hostname);
  } catch (error) {
    throw unresolvable(hostname, error);
  }
  if (addresses.length === 0) throw unresolvable(hostname, undefined);
  return addresses;
}

function denied(hostname: string, reason: string): PermissionDeniedError {
  // URLs of non-special schemes (`javascript:`, `file:`) may have no host to name.
  const subject = hostname === '' ? 'The URL' : `Host ${hostname}`;
  return new PermissionDeniedError(`${subject} is not allowed: ${reason}.`, 'host_not_allowed');
}

function unresolvable(hostname: string, cause: unknown): GatewayError {
  return new GatewayError(`Host ${hostname} could not be resolved.`, {
    status: 400,
    type: 'invalid_request_error',
    code: 'host_unresolvable',
    cause,
  });
}
