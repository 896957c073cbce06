import { AuthenticationError, BadRequestError, GatewayError } from '../core/gateway-error.ts';
import { assertScopeAllows } from '../keys/access-scopes.ts';
import type { VirtualKeyRecord } from '../keys/access-records.ts';
import { assertVirtualKeyAllowsModel, resolveVirtualKey } from '../keys/resolve-virtual-key.ts';
import type { ProviderResponse } from '../providers/provider-model.ts';
import type { LeafCall } from '../routing/execute-target-tree.ts';
import type { TargetNode, TargetSettings } from '../routing/target-node.ts';
import { applyOverrideParams } from './call-leaf-target.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { PreparedRequest } from './prepare-request.ts';
import { requireIdentity } from './request-access.ts';
import type { UsageLimitsStep } from './usage-limits-step.ts';

/** A virtual key option that is not a provider setting: the base URL the admin pinned the key to. */
const VIRTUAL_KEY_CUSTOM_HOST = 'custom_host';

function virtualKeySettings(leaf: TargetSettings, record: VirtualKeyRecord, secret: string, provider: string): TargetSettings {
  // The key's own options win over the request's: the request must not re-point the secret.
  const { [VIRTUAL_KEY_CUSTOM_HOST]: customHost, ...options } = record.options;
  return { ...leaf, provider, apiKey: secret, customHost, options: { ...leaf.options, ...options } };
}

/**
 * The access checks of one leaf target, run before the response cache and the provider call so
 * a cached answer is never served past them: the caller's provider and model scopes, and the
 * virtual key (scope, workspace, status, allowed models) whose vault secret then becomes the
 * target's key. The provider is the target's, else the virtual key's, else the deployment's
 * default. A request's custom_host cannot carry a virtual key's secret elsewhere (400). A
 * virtual key with a budget reserves on it last, just before the call: the reservation is
 * kept when this leaf answers and given back when it fails.
 */
export function withLeafAccess(
  runtime: GatewayRuntime,
  prepared: PreparedRequest,
  callLeaf: LeafCall<ProviderResponse>,
  usageLimits: Pick<UsageLimitsStep, 'reserveVirtualKeyBudget'>,
): LeafCall<ProviderResponse> {
  const identity = requireIdentity(prepared);
  return async (leaf: TargetNode) => {
    const { settings } = leaf;
    const access = prepared.access;
    if (access !== undefined) access.virtualKeyId = undefined;
    const virtualKey = settings.virtualKey === undefined ? undefined : await resolveVirtualKey(runtime.access, identity, settings.virtualKey);
    if (virtualKey !== undefined && settings.provider !== undefined && settings.provider !== virtualKey.provider) {
      throw new BadRequestError(
        `Virtual key ${JSON.stringify(virtualKey.id)} is for provider "${virtualKey.provider}", but the target names provider "${settings.provider}".`,
        'virtual_key_provider_mismatch',
        'provider',
      );
    }
    const provider = settings.provider ?? virtualKey?.provider ?? runtime.settings.defaultProvider;
    if (provider !== undefined) assertScopeAllows(identity, 'providers', provider);
    const model = applyOverrideParams(prepared.json, settings.overrideParams)?.model;
    if (typeof model === 'string') {
      assertScopeAllows(identity, 'models', model);
      if (virtualKey !== undefined) assertVirtualKeyAllowsModel(virtualKey, model);
    }
    if (virtualKey === undefined || provider === undefined) {
      return callLeaf(provider === settings.provider ? leaf : { ...leaf, settings: { ...settings, provider } });
    }

    if (settings.customHost !== undefined) {
      throw new BadRequestError(
        'custom_host cannot be combined with a virtual key: its secret goes only to its provider, or to the host stored with the key.',
        'custom_host_with_virtual_key',
        'custom_host',
      );
    }
    const secret = await runtime.access.getVirtualKeySecret(virtualKey.id);
    if (secret === undefined) {
      throw new AuthenticationError(`Virtual key ${JSON.stringify(virtualKey.id)} has no stored secret.`, 'virtual_key_not_found');
    }
    if (access !== undefined) access.virtualKeyId = virtualKey.id;
    const budget =
      virtualKey.budgetId === undefined
        ? undefined
        : await usageLimits.reserveVirtualKeyBudget(prepared, virtualKey.budgetId, provider, typeof model === 'string' ? model : undefined);
    try {
      const answer = await callLeaf({ ...leaf, settings: virtualKeySettings(settings, virtualKey, secret, provider) });
      budget?.keep();
      return answer;
    } catch (error) {
      // Given back before routing moves on, so a next target on the same budget finds it free;
      // an answer a guardrail turned down is still owed (only those errors carry usage).
      await budget?.giveBack(error instanceof GatewayError ? error.usage : undefined);
      throw error;
    } finally {
      runtime.access.noteVirtualKeyUsed(virtualKey.id);
    }
  };
}
