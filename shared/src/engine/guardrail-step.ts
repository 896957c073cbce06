import type { ProviderResponse } from '../providers/provider-model.ts';
import type { LeafCall } from '../routing/execute-target-tree.ts';
import type { TargetNode } from '../routing/target-node.ts';
import type { RoutingTrace } from './gateway-response-headers.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { GuardrailRunner, LeafGuardrailRun, RequestGuardrailRuns } from './guardrail-leaf-run.ts';
import type { PreparedRequest } from './prepare-request.ts';
import { requireIdentity } from './request-access.ts';

/** The guardrails of one request, in the leaf caller chain. */
export interface RequestGuardrails {
  /**
   * The leaf call with guardrails around it, placed after the access checks and before the
   * response cache: input guardrails judge the request before the cache is read or the
   * provider called; the answer (fresh or cached) is judged and decorated on its way out.
   */
  wrap(callLeaf: LeafCall<ProviderResponse>): LeafCall<ProviderResponse>;
  /** The guardrail run of the leaf being called, for the provider call to judge each fresh answer. */
  current(): LeafGuardrailRun | undefined;
  /** Routing's result, with a flagged (246) answer that no fallback acted on unwrapped. */
  settle(routed: Promise<ProviderResponse>): Promise<ProviderResponse>;
}

export interface GuardrailStep {
  forRequest(prepared: PreparedRequest, trace: RoutingTrace): RequestGuardrails;
}

/**
 * The guardrail step of the pipeline. Its code (the checks, the runner, engine/guardrail-leaf-run.ts)
 * is imported on the first request whose Config has a guardrail, so a gateway without guardrails
 * never loads it; the engine creates the step's per-request part only for such Configs.
 */
export function createGuardrailStep(runtime: GatewayRuntime): GuardrailStep {
  let loading: Promise<GuardrailRunner> | undefined;
  const load = (): Promise<GuardrailRunner> => {
    loading ??= import('./guardrail-leaf-run.ts').then(
      (module) => module.createGuardrailRunner(runtime),
      (error: unknown) => {
        // A chunk missing from a broken deployment is retried by the next request.
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };

  return {
    forRequest(prepared, trace) {
      let runs: RequestGuardrailRuns | undefined;
      let current: LeafGuardrailRun | undefined;
      return {
        wrap: (callLeaf) => async (leaf: TargetNode) => {
          current = undefined;
          if (leaf.settings.guardrails === undefined) return callLeaf(leaf);
          // Unlike the cache, guardrails never fail open: without their code the request fails.
          runs ??= (await load()).forRequest(prepared, trace, requireIdentity(prepared));
          const run = await runs.start(leaf);
          if (run === undefined) return callLeaf(leaf);
          current = run;
          return run.finish(await callLeaf(leaf));
        },
        current: () => current,
        // Only a leaf with guardrails flags answers, and it loaded the runner first.
        settle: (routed) =>
          routed.catch(async (error: unknown) => {
            if (loading === undefined) throw error;
            return (await loading).answerOf(error);
          }),
      };
    },
  };
}
