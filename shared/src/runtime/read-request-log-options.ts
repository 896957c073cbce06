import { DEFAULT_LOG_RETENTION_DAYS } from '../logging/record-feedback.ts';
import type { LogBodyMode } from '../ports/request-log-document.ts';
import type { Environment } from './read-runtime-options.ts';

/** How a deployment keeps its request logs in the Logs table. */
export interface RequestLogOptions {
  /** Whether each request is written to the Logs table (`TURNPIKE_STORE_REQUEST_LOGS`). @default true */
  store: boolean;
  /**
   * How much of the bodies is kept (`TURNPIKE_LOG_BODIES`): `full`, `redacted` (structure
   * kept, every content string replaced by its length) or `off`. @default 'redacted'
   */
  bodies: LogBodyMode;
  /** Days until a log expires (`TURNPIKE_LOG_RETENTION_DAYS`, set by the stack). @default 30 */
  retentionDays: number;
}

const BODY_MODES: readonly LogBodyMode[] = ['full', 'redacted', 'off'];

/** Read the request log settings; a bad value stops the start-up with a message naming the variable. */
export function readRequestLogOptions(env: Environment): RequestLogOptions {
  const store = env.TURNPIKE_STORE_REQUEST_LOGS?.toLowerCase();
  if (store !== undefined && store !== '' && !['true', 'false', '1', '0'].includes(store)) {
    throw new Error(`TURNPIKE_STORE_REQUEST_LOGS must be true or false, got "${env.TURNPIKE_STORE_REQUEST_LOGS}".`);
  }
  const bodies = env.TURNPIKE_LOG_BODIES?.toLowerCase() || 'redacted';
  if (!BODY_MODES.includes(bodies as LogBodyMode)) {
    throw new Error(`TURNPIKE_LOG_BODIES must be one of ${BODY_MODES.join(', ')}, got "${env.TURNPIKE_LOG_BODIES}".`);
  }
  const rawRetention = env.TURNPIKE_LOG_RETENTION_DAYS;
  const retentionDays = rawRetention === undefined || rawRetention === '' ? DEFAULT_LOG_RETENTION_DAYS : Number(rawRetention);
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new Error(`TURNPIKE_LOG_RETENTION_DAYS must be a positive number of days, got "${rawRetention}".`);
  }
  return { store: store !== 'false' && store !== '0', bodies: bodies as LogBodyMode, retentionDays };
}
