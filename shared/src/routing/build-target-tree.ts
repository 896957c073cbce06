import type { JsonObject } from '../core/json.ts';
import type { GatewayConfig, TargetConfig } from '../protocol/config-schema.ts';
import type { TargetGuardrails, TargetNode, TargetSettings } from './target-node.ts';

/** Config fields that configure a provider rather than routing; inherited like the rest. */
const PROVIDER_OPTION_FIELDS = [
  'resource_name',
  'deployment_id',
  'api_version',
  'azure_auth_mode',
  'aws_region',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'workers_ai_account_id',
  'anthropic_version',
  'anthropic_beta',
] as const satisfies ReadonlyArray<keyof TargetConfig>;

/**
 * A target's guardrails add to its ancestors' rather than replace them, as in Portkey, where a
 * Config's top-level hooks run for the request and a target's own hooks run besides them.
 */
function addGuardrails(parent: TargetGuardrails | undefined, target: TargetConfig): TargetGuardrails | undefined {
  if (target.input_guardrails === undefined && target.output_guardrails === undefined) return parent;
  return {
    input: [...(parent?.input ?? []), ...(target.input_guardrails ?? [])],
    output: [...(parent?.output ?? []), ...(target.output_guardrails ?? [])],
  };
}

function inherit(parent: TargetSettings, target: TargetConfig): TargetSettings {
  let options = parent.options;
  for (const field of PROVIDER_OPTION_FIELDS) {
    const value = target[field];
    if (value !== undefined) {
      if (options === parent.options) options = { ...parent.options };
      (options as Record<string, string>)[field] = value;
    }
  }
  // A target that names a different provider must not inherit its parent's credentials:
  // they belong to the parent's provider and would be sent to the wrong company.
  const switchesProvider = target.provider !== undefined && target.provider !== parent.provider;
  return {
    provider: target.provider ?? parent.provider,
    apiKey: target.api_key ?? (switchesProvider ? undefined : parent.apiKey),
    virtualKey: target.virtual_key ?? (switchesProvider ? undefined : parent.virtualKey),
    overrideParams:
      target.override_params === undefined
        ? parent.overrideParams
        : { ...parent.overrideParams, ...(target.override_params as JsonObject) },
    retry: target.retry ?? parent.retry,
    requestTimeoutMs: target.request_timeout ?? parent.requestTimeoutMs,
    cache: target.cache ?? parent.cache,
    customHost: target.custom_host ?? (switchesProvider ? undefined : parent.customHost),
    forwardHeaders: target.forward_headers?.map((name) => name.toLowerCase()) ?? parent.forwardHeaders,
    options,
    guardrails: addGuardrails(parent.guardrails, target),
  };
}

function buildNode(target: TargetConfig, parent: TargetSettings, path: string): TargetNode {
  const settings = inherit(parent, target);
  const children = (target.targets ?? []).map((child, index) => buildNode(child, settings, `${path}.targets[${index}]`));
  return {
    path,
    name: target.name,
    weight: target.weight ?? 1,
    settings,
    strategy: children.length > 0 ? (target.strategy ?? { mode: 'single' }) : undefined,
    children,
  };
}

/** Whether any target of the tree runs a guardrail; a walk without allocations, for the engine to skip the step. */
export function treeHasGuardrails(node: TargetNode): boolean {
  return node.settings.guardrails !== undefined || node.children.some(treeHasGuardrails);
}

/**
 * Turn a validated Config into a tree whose nodes carry fully inherited settings, so routing
 * never has to look back up the tree. `defaults` are the settings that came in headers.
 */
export function buildTargetTree(config: GatewayConfig, defaults: TargetSettings): TargetNode {
  return buildNode(config, defaults, 'config');
}
