import { z } from 'zod';

/**
 * The Config object of Portkey's gateway protocol, validated strictly so that a typo in a
 * field name is reported (with its path) instead of silently ignored.
 * Field names and meanings follow Portkey's published Config reference.
 */

const statusCode = z.number().int().min(100).max(599);

const retrySchema = z.strictObject({
  attempts: z.number().int().min(0).max(10),
  on_status_codes: z.array(statusCode).optional(),
  use_retry_after_header: z.boolean().optional(),
});

const cacheSchema = z.strictObject({
  mode: z.enum(['simple', 'semantic']),
  max_age: z.number().int().positive().optional(),
});

/** Mongo-style operators understood by conditional routing. */
const conditionalQuerySchema = z.record(z.string(), z.unknown());

const strategySchema = z.strictObject({
  mode: z.enum(['single', 'fallback', 'loadbalance', 'conditional']),
  on_status_codes: z.array(statusCode).optional(),
  conditions: z
    .array(z.strictObject({ query: conditionalQuerySchema, then: z.string().min(1) }))
    .optional(),
  default: z.string().min(1).optional(),
});

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid HTTP header name');

/** Settings a target may set for itself and that children inherit unless they override them. */
const targetFields = {
  provider: z.string().min(1).optional(),
  api_key: z.string().min(1).optional(),
  virtual_key: z.string().min(1).optional(),
  override_params: z.record(z.string(), z.unknown()).optional(),
  retry: retrySchema.optional(),
  request_timeout: z.number().int().positive().optional(),
  cache: cacheSchema.optional(),
  // Only web URLs: z.string().url() alone also takes `file:` or `javascript:` URLs.
  custom_host: z.string().url({ protocol: /^https?$/, error: 'must be an http or https URL' }).optional(),
  forward_headers: z.array(headerName).optional(),
  strategy: strategySchema.optional(),
  // Provider settings (Azure OpenAI, AWS, Cloudflare Workers AI, Anthropic), as Portkey names them.
  resource_name: z.string().min(1).optional(),
  deployment_id: z.string().min(1).optional(),
  api_version: z.string().min(1).optional(),
  azure_auth_mode: z.enum(['api_key', 'entra']).optional(),
  aws_region: z.string().min(1).optional(),
  aws_access_key_id: z.string().min(1).optional(),
  aws_secret_access_key: z.string().min(1).optional(),
  aws_session_token: z.string().min(1).optional(),
  workers_ai_account_id: z.string().min(1).optional(),
  anthropic_version: z.string().min(1).optional(),
  anthropic_beta: z.string().min(1).optional(),
  // Guardrails are part of the protocol but this gateway does not run them yet: refuse them
  // rather than accept a safety setting that would be silently ignored.
  input_guardrails: z.never({ error: 'guardrails are not supported by this gateway yet' }).optional(),
  output_guardrails: z.never({ error: 'guardrails are not supported by this gateway yet' }).optional(),
};

export interface TargetConfig extends z.infer<z.ZodObject<typeof targetFields>> {
  name?: string | undefined;
  weight?: number | undefined;
  targets?: TargetConfig[] | undefined;
}

const targetSchema: z.ZodType<TargetConfig> = z.strictObject({
  ...targetFields,
  name: z.string().min(1).optional(),
  weight: z.number().min(0).optional(),
  get targets() {
    return z.array(targetSchema).min(1).optional();
  },
});

export type GatewayConfig = TargetConfig;
export type RetryConfig = z.infer<typeof retrySchema>;
export type StrategyConfig = z.infer<typeof strategySchema>;
export type CacheConfig = z.infer<typeof cacheSchema>;

export const gatewayConfigSchema = targetSchema;
