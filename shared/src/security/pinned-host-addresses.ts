import { AsyncLocalStorage } from 'node:async_hooks';
import type { CheckedHost } from './host-guard.ts';

const pins = new AsyncLocalStorage<CheckedHost>();

/**
 * Run `call` with `host` pinned: every connection it opens to that host name goes to the
 * addresses the host guard checked, not to a fresh DNS answer. Async-local, so concurrent
 * requests each keep their own pins and nothing has to thread them through the providers.
 */
export function withPinnedHost<T>(host: CheckedHost | undefined, call: () => Promise<T>): Promise<T> {
  return host === undefined ? call() : pins.run(host, call);
}

/** The checked addresses of `hostname` when the current call pinned it; what the HTTP transport connects to. */
export function pinnedAddressesOf(hostname: string): readonly string[] | undefined {
  const pinned = pins.getStore();
  if (pinned === undefined) return undefined;
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return pinned.hostname.toLowerCase() === bare.toLowerCase().replace(/\.$/, '') ? pinned.addresses : undefined;
}
