import type { CommandSpec } from '../command-spec.ts';
import { ANALYTICS_COMMANDS } from './analytics-commands.ts';
import { AUDIT_COMMANDS } from './audit-commands.ts';
import { CONFIG_COMMANDS } from './configs-commands.ts';
import { GUARDRAIL_COMMANDS } from './guardrails-commands.ts';
import { KEY_COMMANDS } from './keys-commands.ts';
import { LOG_COMMANDS } from './logs-commands.ts';
import { PRINCIPAL_COMMANDS } from './principals-commands.ts';
import { VIRTUAL_KEY_COMMANDS } from './virtual-keys-commands.ts';
import { USAGE_LIMIT_COMMANDS } from './usage-limit-commands.ts';
import { WORKSPACE_COMMANDS } from './workspaces-commands.ts';

/** Every command, in the order help lists them. */
export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...WORKSPACE_COMMANDS,
  ...KEY_COMMANDS,
  ...VIRTUAL_KEY_COMMANDS,
  ...PRINCIPAL_COMMANDS,
  ...CONFIG_COMMANDS,
  ...GUARDRAIL_COMMANDS,
  ...AUDIT_COMMANDS,
  ...LOG_COMMANDS,
  ...ANALYTICS_COMMANDS,
  ...USAGE_LIMIT_COMMANDS,
];
