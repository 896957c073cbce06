import type { Clock } from '../ports/clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { CounterStore } from '../ports/counter-store.ts';
import type { KeyVault } from '../ports/key-vault.ts';

/** The ports the keys module reads and writes. */
export interface AccessStores {
  control: ControlStore;
  vault: KeyVault;
  clock: Pick<Clock, 'now'>;
  /**
   * Where the gateway records when a virtual key was last used. The gateway may only read the
   * Control table (docs/INFRA-CONTRACT.md), so the time lives in a counter instead. Absent = not recorded.
   */
  counters?: CounterStore;
}

/** The counter holding a virtual key's last use, epoch ms rounded down to the minute. */
export function virtualKeyLastUsedCounter(virtualKeyId: string): string {
  return `last-used#virtual-key#${virtualKeyId}`;
}
