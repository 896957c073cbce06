import type { Clock } from '../ports/clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { CounterStore } from '../ports/counter-store.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { LogStore } from '../ports/log-store.ts';
import type { RollupStore } from '../ports/rollup-store.ts';

/**
 * What the transport already knows about the caller before the request is read. On AWS the
 * function URL (auth type AWS_IAM) has checked the SigV4 signature and passes the signer's ARN
 * in the event, which no header can forge; the local emulator passes nothing.
 */
export interface AdminTransportIdentity {
  iamArn?: string | undefined;
}

/**
 * Decides who is calling the admin API. Answers the actor written into audit records, or
 * throws an AuthenticationError (401).
 */
export interface AdminAuthenticator {
  authenticate(request: Request, transport: AdminTransportIdentity): string;
}

/** Everything the admin API needs from the world, assembled once per process by runtime/. */
export interface AdminRuntime {
  /** Reported by /health. */
  version: string;
  control: ControlStore;
  /** Provider secrets of virtual keys, named by slug (the AWS adapter adds TURNPIKE_SECRET_PREFIX). */
  keyVault: KeyVault;
  /** Where the gateway records a virtual key's last use (shown as `last_used_at`). */
  counters?: CounterStore;
  /** The Logs table, for `/v1/logs`. */
  logs?: LogStore;
  /** The rollups in the Counters table, for `/v1/analytics`. */
  rollups?: RollupStore;
  clock: Pick<Clock, 'now'>;
  authenticator: AdminAuthenticator;
  /** Release what the runtime opened (nothing when it borrowed the gateway's stores). */
  close(): Promise<void>;
}
