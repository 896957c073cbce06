import type { JsonObject } from '../core/json.ts';
import type { CacheConfig, RetryConfig, StrategyConfig } from '../protocol/config-schema.ts';
import type { GuardrailSpec } from '../protocol/guardrail-config.ts';

/** The guardrails a target runs: its ancestors' first, then its own (they add up, never replace). */
export interface TargetGuardrails {
  input: readonly GuardrailSpec[];
  output: readonly GuardrailSpec[];
}

/** The settings a target ends up with after inheriting from every ancestor. */
export interface TargetSettings {
  provider: string | undefined;
  apiKey: string | undefined;
  virtualKey: string | undefined;
  overrideParams: JsonObject | undefined;
  retry: RetryConfig | undefined;
  requestTimeoutMs: number | undefined;
  cache: CacheConfig | undefined;
  customHost: string | undefined;
  forwardHeaders: readonly string[];
  /** Provider settings such as resource_name or aws_region, keyed by Config field name. */
  options: Readonly<Record<string, string>>;
  /** Absent when no node from the root to this one names a guardrail. */
  guardrails?: TargetGuardrails | undefined;
}

/** One node of the Config's target tree, with its JSON path for `x-portkey-last-used-option-index`. */
export interface TargetNode {
  /** `config`, `config.targets[1]`, `config.targets[1].targets[0]`, ... */
  path: string;
  name: string | undefined;
  weight: number;
  settings: TargetSettings;
  /** Present on nodes that route between children. */
  strategy: StrategyConfig | undefined;
  children: readonly TargetNode[];
}
