/**
 * Every option the CLI knows, in one table. The command line is parsed against all of them
 * at once (so global options may come before or after the command), and each command then
 * checks that only its own options were used. A name means the same thing in every command.
 */
export interface OptionDefinition {
  type: 'string' | 'boolean';
  /** May be given several times (values are collected in order). */
  multiple?: boolean;
  short?: string;
  /** Shown in help after the option name, e.g. `--workspace ID`. */
  placeholder?: string;
  description: string;
}

export const GLOBAL_OPTIONS = ['url', 'token', 'region', 'sigv4', 'json', 'help'] as const;
export const LIST_OPTIONS = ['limit', 'cursor', 'all'] as const;

export const OPTION_TABLE = {
  url: {
    type: 'string',
    placeholder: 'URL',
    description: 'Admin API URL (default: $TURNPIKE_ADMIN_URL, else http://127.0.0.1:8788)',
  },
  token: {
    type: 'string',
    placeholder: 'TOKEN',
    description: 'Local admin token (default: $TURNPIKE_ADMIN_TOKEN); prefer the variable, it stays out of shell history',
  },
  region: {
    type: 'string',
    placeholder: 'REGION',
    description: 'AWS region for SigV4 (default: from a Lambda function URL, else $AWS_REGION)',
  },
  sigv4: {
    type: 'boolean',
    description: 'Sign with SigV4 even when the URL is not a Lambda function URL (a custom domain)',
  },
  json: { type: 'boolean', description: 'Print the raw JSON answer (for scripts)' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },

  limit: { type: 'string', placeholder: 'N', description: 'Items per page, 1-200 (server default 50)' },
  cursor: { type: 'string', placeholder: 'CURSOR', description: 'Continue a listing from this cursor' },
  all: { type: 'boolean', description: 'Follow cursors and print every page' },

  id: { type: 'string', placeholder: 'ID', description: 'Id of the new resource (a slug)' },
  workspace: { type: 'string', placeholder: 'ID', description: 'Workspace id' },
  name: { type: 'string', placeholder: 'NAME', description: 'Display name' },
  'scope-providers': {
    type: 'string',
    multiple: true,
    placeholder: 'A,B',
    description: 'Providers allowed (comma-separated; "" allows none; omitted allows all; trailing * matches a prefix)',
  },
  'scope-models': { type: 'string', multiple: true, placeholder: 'A,B', description: 'Models allowed (same rules)' },
  'scope-virtual-keys': {
    type: 'string',
    multiple: true,
    placeholder: 'A,B',
    description: 'Virtual keys allowed (same rules)',
  },
  'scope-configs': { type: 'string', multiple: true, placeholder: 'A,B', description: 'Saved configs allowed (same rules)' },
  'expires-at': { type: 'string', placeholder: 'ISO-DATE', description: 'Expiry, e.g. 2026-01-31T00:00:00Z' },
  metadata: { type: 'string', multiple: true, placeholder: 'K=V', description: 'Metadata entry' },
  'default-config': { type: 'string', placeholder: 'ID', description: 'Saved config used when a request sends none' },
  'rate-limit-id': { type: 'string', placeholder: 'ID', description: 'Rate limit to apply' },
  'budget-id': { type: 'string', placeholder: 'ID', description: 'Budget to apply' },

  provider: { type: 'string', placeholder: 'PROVIDER', description: 'Provider, e.g. openai, anthropic, bedrock' },
  'secret-stdin': { type: 'boolean', description: 'Read the provider secret from standard input' },
  'secret-env': { type: 'string', placeholder: 'VAR', description: 'Read the provider secret from this environment variable' },
  'allowed-models': {
    type: 'string',
    multiple: true,
    placeholder: 'A,B',
    description: 'Models this virtual key may call (comma-separated; omitted allows all)',
  },
  option: {
    type: 'string',
    multiple: true,
    placeholder: 'K=V',
    description: 'Non-secret provider setting, e.g. aws_region=us-east-1',
  },

  'arn-pattern': {
    type: 'string',
    placeholder: 'ARN',
    description: 'IAM ARN, or a pattern with * wildcards (arn:aws:iam::123456789012:role/svc-*)',
  },

  file: { type: 'string', placeholder: 'PATH', description: 'JSON file holding the Config or the guardrail ("-" reads stdin)' },
  version: { type: 'string', placeholder: 'N', description: 'Config version' },

  'resource-kind': { type: 'string', placeholder: 'KIND', description: 'Only records about this kind: workspace, key, virtual-key, principal, config, guardrail' },
  'resource-id': { type: 'string', placeholder: 'ID', description: 'Only records about this resource id' },

  from: { type: 'string', placeholder: 'ISO-DATE', description: 'Start of the time range (inclusive)' },
  to: { type: 'string', placeholder: 'ISO-DATE', description: 'End of the time range (exclusive; default now)' },
  key: { type: 'string', placeholder: 'ID', description: 'Gateway key id (key_…) or IAM principal id' },
  trace: { type: 'string', placeholder: 'ID', description: 'Trace id' },
  model: { type: 'string', placeholder: 'MODEL', description: 'Model, e.g. gpt-4o-mini' },
  status: { type: 'string', placeholder: 'STATUS', description: 'HTTP status, or "error" (>= 400) / "success"' },
  'min-cost': { type: 'string', placeholder: 'N', description: 'Only requests costing at least this much' },
  'min-latency-ms': { type: 'string', placeholder: 'MS', description: 'Only requests at least this slow' },
  follow: { type: 'boolean', short: 'f', description: 'Keep printing new records as they arrive (Ctrl-C stops)' },
  granularity: { type: 'string', placeholder: 'hour|day', description: 'Rollup window (default hour)' },

  unit: { type: 'string', placeholder: 'usd|tokens', description: 'What a budget counts' },
  cap: { type: 'string', placeholder: 'N', description: 'A budget\'s hard cap per period, in its unit' },
  period: { type: 'string', placeholder: 'PERIOD', description: 'Budget period: daily, weekly, monthly or none' },
  'soft-threshold': { type: 'string', placeholder: '0-1', description: 'Fraction of the cap whose crossing alerts once per period' },
  rpm: { type: 'string', placeholder: 'N', description: 'Requests per minute' },
  tpm: { type: 'string', placeholder: 'N', description: 'Tokens per minute' },
} as const satisfies Record<string, OptionDefinition>;

export type OptionName = keyof typeof OPTION_TABLE;
