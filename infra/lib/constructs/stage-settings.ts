import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Everything that differs between deployments of the stack, read from CDK context
 * (`cdk.json` or `npx cdk deploy -c turnpike:stage=prod`). Every field has a default that
 * deploys as it is into a fresh account.
 */
export interface StageSettings {
  /** Short stage name, used in resource names and the secret prefix. @default 'dev' */
  readonly stage: string;
  /** CloudFormation stack name. @default `turnpike-<stage>` */
  readonly stackName: string;
  /** Secrets Manager name prefix of the virtual-key vault; ends with `/`. @default `turnpike/<stage>/virtual-keys/` */
  readonly secretPrefix: string;
  /** How often the analytics function runs, in minutes. @default 60 */
  readonly analyticsRateMinutes: number;
  /** CloudWatch Logs retention of every function's log group, in days. @default 30 */
  readonly logRetentionDays: RetentionDays;
  /** How long request log items stay in the Logs table (its TTL), in days. @default 30 */
  readonly requestLogRetentionDays: number;
  /** Browser origins allowed to call the public gateway URL; empty turns CORS off. @default [] */
  readonly allowedOrigins: readonly string[];
  /** Where alarm notifications are e-mailed; none means the SNS topic has no subscriber. @default undefined */
  readonly alarmEmail: string | undefined;
  /**
   * Reserved concurrency of each gateway function. Unset by default: a new account's
   * concurrency quota can be as low as 10, and reserving any of it would fail the deploy.
   * @default undefined
   */
  readonly gatewayReservedConcurrency: number | undefined;
  /** Gateway function timeout in seconds (streams end when it runs out). @default 300 */
  readonly gatewayTimeoutSeconds: number;
  /** Gateway function memory in MB (CPU scales with it). @default 1024 */
  readonly gatewayMemoryMb: number;
  /** The p99 request latency, in ms, above which the latency alarm fires. @default 30000 */
  readonly latencyP99AlarmMs: number;
  /** The upstream error rate, in percent, above which its alarm fires. @default 10 */
  readonly upstreamErrorRateAlarmPercent: number;
  /** Keep tables and keys when the stack is deleted. @default true */
  readonly retainData: boolean;
}

/** The CDK context keys the stack reads; each is `turnpike:<field>`. */
export const STAGE_CONTEXT_KEYS = {
  stage: 'turnpike:stage',
  stackName: 'turnpike:stackName',
  secretPrefix: 'turnpike:secretPrefix',
  analyticsRateMinutes: 'turnpike:analyticsRateMinutes',
  logRetentionDays: 'turnpike:logRetentionDays',
  requestLogRetentionDays: 'turnpike:requestLogRetentionDays',
  allowedOrigins: 'turnpike:allowedOrigins',
  alarmEmail: 'turnpike:alarmEmail',
  gatewayReservedConcurrency: 'turnpike:gatewayReservedConcurrency',
  gatewayTimeoutSeconds: 'turnpike:gatewayTimeoutSeconds',
  gatewayMemoryMb: 'turnpike:gatewayMemoryMb',
  latencyP99AlarmMs: 'turnpike:latencyP99AlarmMs',
  upstreamErrorRateAlarmPercent: 'turnpike:upstreamErrorRateAlarmPercent',
  retainData: 'turnpike:retainData',
} as const satisfies Record<keyof StageSettings, string>;

/** Reads one context value; `app.node.tryGetContext` in the app, a plain object in tests. */
export type ContextReader = (key: string) => unknown;

const RETENTION_DAYS = new Set<number>(Object.values(RetentionDays).filter((value) => typeof value === 'number'));
// Secrets Manager allows these characters in names; the prefix must also end in `/` so that
// `<prefix>*` in IAM cannot match a sibling prefix such as `virtual-keys-old/`.
const SECRET_PREFIX = /^[A-Za-z0-9/_+=.@-]+\/$/;
const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const ORIGIN = /^https?:\/\/[^/\s]+$|^\*$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Read and validate the stage settings. Values given with `-c key=value` arrive as strings,
 * values from `cdk.json` keep their JSON type; both are accepted. Throws with the context key
 * in the message when a value is invalid, so `cdk synth` stops before building anything.
 */
export function readStageSettings(context: ContextReader): StageSettings {
  const read = (field: keyof StageSettings): unknown => {
    const value = context(STAGE_CONTEXT_KEYS[field]);
    return value === '' || value === null ? undefined : value;
  };
  const stage = text(read('stage'), 'stage', STAGE_NAME, 'dev');
  const logRetentionDays = integer(read('logRetentionDays'), 'logRetentionDays', 30, 1, 3653);
  if (!RETENTION_DAYS.has(logRetentionDays)) {
    fail('logRetentionDays', `must be one of CloudWatch Logs' retention periods (${[...RETENTION_DAYS].sort((a, b) => a - b).join(', ')})`);
  }
  return {
    stage,
    stackName: text(read('stackName'), 'stackName', STACK_NAME, `turnpike-${stage}`),
    secretPrefix: text(read('secretPrefix'), 'secretPrefix', SECRET_PREFIX, `turnpike/${stage}/virtual-keys/`),
    // EventBridge rates are whole minutes; a day is the longest window a rollup covers.
    analyticsRateMinutes: integer(read('analyticsRateMinutes'), 'analyticsRateMinutes', 60, 1, 1440),
    logRetentionDays: logRetentionDays as RetentionDays,
    requestLogRetentionDays: integer(read('requestLogRetentionDays'), 'requestLogRetentionDays', 30, 1, 3650),
    allowedOrigins: list(read('allowedOrigins'), 'allowedOrigins', ORIGIN),
    alarmEmail: optionalText(read('alarmEmail'), 'alarmEmail', EMAIL),
    // Lambda keeps 10 of the account's concurrency unreserved, so 1 is the lowest useful value.
    gatewayReservedConcurrency: optionalInteger(read('gatewayReservedConcurrency'), 'gatewayReservedConcurrency', 1, 10_000),
    // 900 s is Lambda's maximum and so the longest a streamed response can last.
    gatewayTimeoutSeconds: integer(read('gatewayTimeoutSeconds'), 'gatewayTimeoutSeconds', 300, 3, 900),
    gatewayMemoryMb: integer(read('gatewayMemoryMb'), 'gatewayMemoryMb', 1024, 128, 10_240),
    latencyP99AlarmMs: integer(read('latencyP99AlarmMs'), 'latencyP99AlarmMs', 30_000, 1, 900_000),
    upstreamErrorRateAlarmPercent: integer(read('upstreamErrorRateAlarmPercent'), 'upstreamErrorRateAlarmPercent', 10, 1, 100),
    retainData: flag(read('retainData'), 'retainData', true),
  };
}

function fail(field: keyof StageSettings, problem: string): never {
  throw new Error(`CDK context ${STAGE_CONTEXT_KEYS[field]} ${problem}.`);
}

function text(value: unknown, field: keyof StageSettings, pattern: RegExp, fallback: string): string {
  return optionalText(value, field, pattern) ?? fallback;
}

function optionalText(value: unknown, field: keyof StageSettings, pattern: RegExp): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) fail(field, `must match ${pattern}, got ${JSON.stringify(value)}`);
  return value;
}

function integer(value: unknown, field: keyof StageSettings, fallback: number, min: number, max: number): number {
  return optionalInteger(value, field, min, max) ?? fallback;
}

function optionalInteger(value: unknown, field: keyof StageSettings, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    fail(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function flag(value: unknown, field: keyof StageSettings, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  fail(field, `must be true or false, got ${JSON.stringify(value)}`);
}

function list(value: unknown, field: keyof StageSettings, pattern: RegExp): string[] {
  if (value === undefined) return [];
  // `-c turnpike:allowedOrigins=https://a.example,https://b.example` arrives as one string.
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value;
  if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string' && pattern.test(item))) {
    fail(field, `must be a list of origins such as https://app.example.com, got ${JSON.stringify(value)}`);
  }
  return items;
}
