import * as z from './zod-mini-english.ts';
import { type GuardrailSpec, MAX_GUARDRAILS } from './guardrail-config.ts';

/**
 * The Config object of Portkey's gateway protocol, validated strictly so that a typo in a
 * field name is reported (with its path) instead of silently ignored.
 * Field names and meanings follow Portkey's published Config reference.
 */

/** A string that must not be empty. */
const nonEmptyString = () => z.string().check(z.minLength(1));
/** A whole number, reported as `expected integer` when it has a fraction. */
const integer = () => z.number().check(z.int());

const statusCode = integer().check(z.minimum(100), z.maximum(599));

const retrySchema = z.strictObject({
  attempts: integer().check(z.minimum(0), z.maximum(10)),
  on_status_codes: z.optional(z.array(statusCode)),
  use_retry_after_header: z.optional(z.boolean()),
});

const cacheSchema = z.strictObject({
  mode: z.enum(['simple', 'semantic']),
  max_age: z.optional(integer().check(z.positive())),
});

/** Mongo-style operators understood by conditional routing. */
const conditionalQuerySchema = z.record(z.string(), z.unknown());

const strategySchema = z.strictObject({
  mode: z.enum(['single', 'fallback', 'loadbalance', 'conditional']),
  on_status_codes: z.optional(z.array(statusCode)),
  conditions: z.optional(z.array(z.strictObject({ query: conditionalQuerySchema, then: nonEmptyString() }))),
  default: z.optional(nonEmptyString()),
});

const guardrailList = () => z.optional(z.array(z.unknown()).check(z.maxLength(MAX_GUARDRAILS)));

const headerName = z.string().check(z.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid HTTP header name'));

/** Settings a target may set for itself and that children inherit unless they override them. */
const targetFields = {
  provider: z.optional(nonEmptyString()),
  api_key: z.optional(nonEmptyString()),
  virtual_key: z.optional(nonEmptyString()),
  override_params: z.optional(z.record(z.string(), z.unknown())),
  retry: z.optional(retrySchema),
  request_timeout: z.optional(integer().check(z.positive())),
  cache: z.optional(cacheSchema),
  // Only web URLs: a URL check alone also takes `file:` or `javascript:` URLs. As a check on a
  // string (not z.url()) so a non-string still reads "expected string, received number".
  custom_host: z.optional(z.string().check(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }))),
  forward_headers: z.optional(z.array(headerName)),
  strategy: z.optional(strategySchema),
  // Provider settings (Azure OpenAI, AWS, Cloudflare Workers AI, Anthropic), as Portkey names them.
  resource_name: z.optional(nonEmptyString()),
  deployment_id: z.optional(nonEmptyString()),
  api_version: z.optional(nonEmptyString()),
  azure_auth_mode: z.optional(z.enum(['api_key', 'entra'])),
  aws_region: z.optional(nonEmptyString()),
  aws_access_key_id: z.optional(nonEmptyString()),
  aws_secret_access_key: z.optional(nonEmptyString()),
  aws_session_token: z.optional(nonEmptyString()),
  workers_ai_account_id: z.optional(nonEmptyString()),
  anthropic_version: z.optional(nonEmptyString()),
  anthropic_beta: z.optional(nonEmptyString()),
  // Guardrail lists: shapes and checks are validated by protocol/guardrail-config.ts, which
  // reports each problem with its path; the schema only bounds the lists.
  input_guardrails: guardrailList(),
  output_guardrails: guardrailList(),
  // Portkey's older names for the same lists (snake_case as in Configs, camelCase as in its docs).
  before_request_hooks: guardrailList(),
  after_request_hooks: guardrailList(),
  beforeRequestHooks: guardrailList(),
  afterRequestHooks: guardrailList(),
};

/** The Config's guardrail fields as written; validation merges them into input/output lists. */
export const GUARDRAIL_FIELDS = [
  'input_guardrails',
  'output_guardrails',
  'before_request_hooks',
  'after_request_hooks',
  'beforeRequestHooks',
  'afterRequestHooks',
] as const satisfies ReadonlyArray<keyof typeof targetFields>;

type TargetFields = z.infer<z.ZodMiniObject<typeof targetFields>>;

/** A target as the schema reads it, before its guardrail lists are checked and merged. */
export interface RawTargetConfig extends TargetFields {
  name?: string | undefined;
  weight?: number | undefined;
  targets?: RawTargetConfig[] | undefined;
}

/** A validated target (validate-gateway-config.ts): its guardrails are checked and merged into two lists. */
export interface TargetConfig extends Omit<TargetFields, (typeof GUARDRAIL_FIELDS)[number]> {
  name?: string | undefined;
  weight?: number | undefined;
  targets?: TargetConfig[] | undefined;
  /** `input_guardrails` then `before_request_hooks`, in order. */
  input_guardrails?: GuardrailSpec[] | undefined;
  /** `output_guardrails` then `after_request_hooks`, in order. */
  output_guardrails?: GuardrailSpec[] | undefined;
}

const targetSchema: z.ZodMiniType<RawTargetConfig> = z.strictObject({
  ...targetFields,
  name: z.optional(nonEmptyString()),
  weight: z.optional(z.number().check(z.minimum(0))),
  get targets() {
    return z.optional(z.array(targetSchema).check(z.minLength(1)));
  },
});

export type GatewayConfig = TargetConfig;
export type RetryConfig = z.infer<typeof retrySchema>;
export type StrategyConfig = z.infer<typeof strategySchema>;
export type CacheConfig = z.infer<typeof cacheSchema>;

/** The Config's shape; validateGatewayConfig adds the rules a schema cannot express. */
export const gatewayConfigSchema = targetSchema;
