import { BadRequestError, GatewayError } from '../core/gateway-error.ts';
import type { ConditionContext } from './evaluate-condition-query.ts';
import { evaluateConditionQuery } from './evaluate-condition-query.ts';
import type { TargetNode } from './target-node.ts';

export interface RoutingContext {
  condition: ConditionContext;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Aborted when the caller has gone: nothing more is tried then. */
  signal: AbortSignal;
  /** Told of each failed target a fallback moves past (not the last one, whose error is thrown). */
  onAbandoned?: (error: GatewayError) => void;
}

/** Calls one leaf target (with its own retries); throws a GatewayError when it fails. */
export type LeafCall<T> = (leaf: TargetNode) => Promise<T>;

function pickWeighted(children: readonly TargetNode[], random: () => number): TargetNode {
  const total = children.reduce((sum, child) => sum + child.weight, 0);
  let point = random() * total;
  for (const child of children) {
    if (child.weight <= 0) continue;
    point -= child.weight;
    if (point < 0) return child;
  }
  // Floating-point rounding can leave `point` at exactly 0 after the last positive weight.
  return children.findLast((child) => child.weight > 0) ?? (children[0] as TargetNode);
}

function pickConditional(node: TargetNode, context: RoutingContext): TargetNode {
  const strategy = node.strategy;
  const byName = (name: string): TargetNode => {
    const target = node.children.find((child) => child.name === name);
    // Validation checks names up front; this guards configs built in code.
    if (target === undefined) throw new BadRequestError(`No target named "${name}" in ${node.path}.targets.`, 'invalid_config');
    return target;
  };
  for (const condition of strategy?.conditions ?? []) {
    if (evaluateConditionQuery(condition.query, context.condition)) return byName(condition.then);
  }
  if (strategy?.default !== undefined) return byName(strategy.default);
  throw new BadRequestError(`No condition of ${node.path}.strategy matched the request and no default is set.`, 'no_conditional_match');
}

function shouldFallBack(error: unknown, onStatusCodes: readonly number[] | undefined, signal: AbortSignal): boolean {
  if (signal.aborted || !(error instanceof GatewayError)) return false;
  // Portkey's rule: without on_status_codes any failed target moves on to the next one.
  return onStatusCodes === undefined ? error.status >= 400 : onStatusCodes.includes(error.status);
}

/**
 * Walk the target tree by each node's strategy (single, fallback, loadbalance, conditional)
 * and return what the first successful leaf produced. The error of the last target tried is
 * thrown when none succeeds.
 */
export async function executeTargetTree<T>(node: TargetNode, context: RoutingContext, callLeaf: LeafCall<T>): Promise<T> {
  const strategy = node.strategy;
  if (strategy === undefined) return callLeaf(node);
  switch (strategy.mode) {
    case 'single':
      return executeTargetTree(node.children[0] as TargetNode, context, callLeaf);
    case 'loadbalance':
      return executeTargetTree(pickWeighted(node.children, context.random), context, callLeaf);
    case 'conditional':
      return executeTargetTree(pickConditional(node, context), context, callLeaf);
    case 'fallback': {
      let lastError: unknown;
      for (const child of node.children) {
        if (lastError instanceof GatewayError) context.onAbandoned?.(lastError);
        try {
          return await executeTargetTree(child, context, callLeaf);
        } catch (error) {
          if (!shouldFallBack(error, strategy.on_status_codes, context.signal)) throw error;
          lastError = error;
        }
      }
      throw lastError;
    }
  }
}
