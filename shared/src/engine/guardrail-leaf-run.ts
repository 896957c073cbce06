import { BadRequestError, InvalidConfigError } from '../core/gateway-error.ts';
import { GuardrailDeniedError } from '../core/guardrail-denied-error.ts';
import { isJsonObject, type JsonObject } from '../core/json.ts';
import { collectStreamedText } from '../guardrails/collect-streamed-text.ts';
import { evaluateGuardrail } from '../guardrails/evaluate-guardrail.ts';
import { answerText, endpointHasAnswerText, endpointRunsGuardrails, requestText } from '../guardrails/guardrail-text.ts';
import type { HookResult } from '../guardrails/hook-result.ts';
import { createSavedGuardrailReader, type SavedGuardrailReader } from '../guardrails/saved-guardrail-reader.ts';
import type { CallerIdentity } from '../keys/access-records.ts';
import type { GuardrailFailure } from '../ports/request-log-sink.ts';
import type { GuardrailDefinition, GuardrailHook, GuardrailSpec } from '../protocol/guardrail-config.ts';
import type { ProviderResponse } from '../providers/provider-model.ts';
import type { TargetNode } from '../routing/target-node.ts';
import { applyOverrideParams } from './call-leaf-target.ts';
import type { RoutingTrace } from './gateway-response-headers.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { GuardrailFlaggedAnswer, unwrapFlaggedAnswer } from './guardrail-flagged-answer.ts';
import type { PreparedRequest } from './prepare-request.ts';

/**
 * Guardrails around one leaf target (loaded on the first request whose Config has one; see
 * guardrail-step.ts for where each part runs). Input guardrails run before the response cache
 * and the provider; output guardrails run on each fresh answer inside the retry loop (so a
 * retry whose `on_status_codes` holds 446 or 246 acts on them) and on a cached answer after
 * the cache step. Results take Portkey's `hook_results` shape; the log gets a compact summary.
 */

/** Most text a streamed answer's output guardrails look at. */
const MAX_STREAMED_TEXT = 1_000_000;
/** Most failures one request log keeps. */
const MAX_LOGGED_FAILURES = 50;
/** Most feedback items the guardrails of one request store (Portkey's feedback API takes 100 at once). */
const MAX_FEEDBACK_ITEMS = 20;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The request's guardrail outcome as it builds up over the targets it tries; it feeds `trace.guardrails`. */
class GuardrailSummary {
  #checks = 0;
  readonly #failed: GuardrailFailure[] = [];

  constructor(private readonly trace: RoutingTrace) {}

  /** Count `results` (of `definitions`, in order) and note their failed checks; returns how many failed. */
  add(target: string, hook: GuardrailHook, definitions: readonly GuardrailDefinition[], results: readonly HookResult[], logOnly = false): number {
    let failures = 0;
    for (const [index, result] of results.entries()) {
      const definition = definitions[index];
      this.#checks += result.checks.length;
      if (result.feedback !== null) {
        const feedback = (this.trace.guardrailFeedback ??= []);
        if (feedback.length < MAX_FEEDBACK_ITEMS) feedback.push(result.feedback);
      }
      for (const check of result.checks) {
        if (check.verdict || check.error !== null) continue;
        failures += 1;
        if (this.#failed.length >= MAX_LOGGED_FAILURES) continue;
        this.#failed.push({ target, hook, guardrail: result.id, check: check.id, deny: definition?.deny ?? false, logOnly: logOnly || (definition?.async ?? false) });
      }
    }
    return failures;
  }

  report(verdict: 'passed' | 'failed' | 'denied' | 'skipped'): void {
    this.trace.guardrails = { verdict, denied: verdict === 'denied', checks: this.#checks, failed: this.#failed };
  }
}

/** Results that shape the answer: async guardrails are only logged, never shown (as in Portkey). */
function shown(definitions: readonly GuardrailDefinition[], results: readonly HookResult[]): HookResult[] {
  return results.filter((_result, index) => definitions[index]?.async !== true);
}

function failedToShape(definitions: readonly GuardrailDefinition[], results: readonly HookResult[], denying: boolean): boolean {
  return results.some((result, index) => {
    const definition = definitions[index];
    return definition !== undefined && !definition.async && !result.verdict && definition.deny === denying;
  });
}

function parseAnswer(body: Uint8Array): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(decoder.decode(body));
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

interface LeafRunParts {
  prepared: PreparedRequest;
  target: string;
  model: string | undefined;
  input: readonly GuardrailDefinition[];
  inputResults: readonly HookResult[];
  output: readonly GuardrailDefinition[];
  summary: GuardrailSummary;
  now: () => number;
  /** Failed input checks of this leaf. */
  failures: number;
}

/** The guardrails of one leaf call: input already judged, output judged per answer. */
export class LeafGuardrailRun {
  #outputResults: HookResult[] = [];
  #answerChecked = false;
  #outputFlagged = false;
  /** Failed output checks of the answer judged last (an earlier attempt's stay in the log's list, not in the verdict). */
  #outputFailures = 0;
  readonly #inputFlagged: boolean;

  constructor(private readonly parts: LeafRunParts) {
    this.#inputFlagged = failedToShape(parts.input, parts.inputResults, false);
  }

  #verdict(): 'passed' | 'failed' {
    return this.parts.failures + this.#outputFailures > 0 ? 'failed' : 'passed';
  }

  /** `hook_results` as Portkey sends it, with the guardrails that shape the answer. */
  hookResults(): JsonObject {
    const { input, inputResults, output } = this.parts;
    return { before_request_hooks: shown(input, inputResults), after_request_hooks: shown(output, this.#outputResults) };
  }

  /**
   * Judge a fresh answer, inside the retry loop: a denying failure throws 446 and a flagging one
   * throws the answer as a 246, so `retry.on_status_codes` can act on either.
   */
  inspect(response: ProviderResponse): ProviderResponse {
    const judged = this.#judge(response, true);
    if (this.#outputFlagged && judged.kind === 'complete') throw new GuardrailFlaggedAnswer({ ...judged, status: 246 }, judged.usage);
    return judged;
  }

  /** The answer of the retry loop: a flagged answer (246) no retry acted on is this target's answer. */
  afterRetries(attempts: Promise<ProviderResponse>): Promise<ProviderResponse> {
    return unwrapFlaggedAnswer(attempts);
  }

  /**
   * The leaf's answer as the caller gets it: judged now if it came from the cache, with 246 when
   * a check failed and `hook_results` in a complete body. A flagged complete answer is thrown
   * (GuardrailFlaggedAnswer) so a fallback on 246 can act; the engine unwraps it otherwise.
   */
  finish(response: ProviderResponse): ProviderResponse {
    // Unchecked here means it came from the cache: it was judged on its way in otherwise.
    const fresh = this.#answerChecked;
    const judged = fresh ? response : this.#judge(response, false);
    const flagged = this.#inputFlagged || this.#outputFlagged;
    this.parts.summary.report(this.#verdict());
    if (judged.kind !== 'complete') return flagged ? { ...judged, status: 246 } : judged;
    const decorated = this.#decorate(judged, flagged ? 246 : judged.status);
    if (flagged) throw new GuardrailFlaggedAnswer(decorated, fresh ? judged.usage : undefined);
    return decorated;
  }

  /** `fresh`: the provider just produced it (a refusal then carries its usage, which is owed), else it came from the cache. */
  #judge(response: ProviderResponse, fresh: boolean): ProviderResponse {
    this.#answerChecked = true;
    this.#outputResults = [];
    this.#outputFlagged = false;
    this.#outputFailures = 0;
    const { output, prepared } = this.parts;
    if (output.length === 0 || response.kind === 'binary' || !endpointHasAnswerText(prepared.endpoint)) return response;
    if (response.kind === 'stream') return this.#judgeAfterStream(response);
    // Portkey skips output guardrails on answers other than 200 (they are not model output).
    const answer = response.status === 200 ? parseAnswer(response.body) : undefined;
    if (answer === undefined) return response;
    const context = { text: answerText(answer), model: this.parts.model };
    const results = output.map((definition) => evaluateGuardrail(definition, context, this.parts.now));
    this.#outputResults = results;
    this.#outputFailures = this.parts.summary.add(this.parts.target, 'output', output, results);
    if (failedToShape(output, results, true)) {
      this.parts.summary.report('denied');
      throw new GuardrailDeniedError(this.hookResults(), fresh ? response.usage : undefined);
    }
    this.#outputFlagged = failedToShape(output, results, false);
    return response;
  }

  /**
   * A stream's bytes leave as they come, so its output guardrails can only look at the whole
   * answer once it has ended: their verdict goes to the request log (the record waits for the
   * stream's outcome, which waits for this). Denying ones were refused before the call.
   */
  #judgeAfterStream(response: Extract<ProviderResponse, { kind: 'stream' }>): ProviderResponse {
    const { output, summary, target, model, now } = this.parts;
    const { body, collected } = collectStreamedText(response.body, MAX_STREAMED_TEXT);
    const outcome = Promise.all([response.outcome, collected]).then(([ended, streamed]) => {
      if (ended.error === undefined && streamed.complete) {
        const context = { text: streamed.text, model };
        const results = output.map((definition) => evaluateGuardrail(definition, context, now));
        this.#outputFailures = summary.add(target, 'output', output, results, true);
        summary.report(this.#verdict());
      }
      return ended;
    });
    return { ...response, body, outcome };
  }

  #decorate(response: Extract<ProviderResponse, { kind: 'complete' }>, status: number): ProviderResponse {
    const hookResults = this.hookResults();
    const before = hookResults.before_request_hooks as HookResult[];
    const after = hookResults.after_request_hooks as HookResult[];
    const answer = before.length + after.length === 0 ? undefined : parseAnswer(response.body);
    if (answer === undefined) return status === response.status ? response : { ...response, status };
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return { ...response, status, headers, body: encoder.encode(JSON.stringify({ ...answer, hook_results: hookResults })) };
  }
}

/** The guardrails of one request, over every leaf it tries. */
export interface RequestGuardrailRuns {
  /**
   * Judge a leaf's request with its input guardrails. Throws 446 when one denies, 400 when a
   * saved guardrail is missing or a denying output guardrail meets a streamed request. Undefined
   * for endpoints guardrails do not apply to.
   */
  start(leaf: TargetNode): Promise<LeafGuardrailRun | undefined>;
}

export interface GuardrailRunner {
  forRequest(prepared: PreparedRequest, trace: RoutingTrace, identity: CallerIdentity): RequestGuardrailRuns;
  /** The answer a routing failure carries when it is a flagged (246) answer no fallback acted on; otherwise throws it. */
  answerOf(error: unknown): ProviderResponse;
}

async function resolveSpec(reader: SavedGuardrailReader, spec: GuardrailSpec, identity: CallerIdentity): Promise<GuardrailDefinition> {
  if (spec.kind === 'inline') return spec.definition;
  const saved = await reader.get(spec.id);
  // Another workspace's guardrail looks absent, as its virtual keys do.
  if (saved === undefined || (identity.workspaceId !== undefined && saved.workspaceId !== undefined && saved.workspaceId !== identity.workspaceId)) {
    throw new InvalidConfigError(`Saved guardrail ${JSON.stringify(spec.id)} was not found.`, `config.${spec.path}`);
  }
  return saved.definition;
}

/** The guardrail machinery of one runtime: the saved-guardrail reader and the per-request runs. */
export function createGuardrailRunner(runtime: GatewayRuntime): GuardrailRunner {
  const reader = createSavedGuardrailReader({ control: runtime.stores.control, clock: runtime.clock });
  const now = (): number => runtime.clock.now();

  return {
    answerOf(error) {
      if (error instanceof GuardrailFlaggedAnswer) return error.response;
      throw error;
    },
    forRequest(prepared, trace, identity) {
      const summary = new GuardrailSummary(trace);
      return {
        async start(leaf) {
          const guardrails = leaf.settings.guardrails;
          if (guardrails === undefined) return undefined;
          if (!endpointRunsGuardrails(prepared.endpoint)) {
            summary.report('skipped');
            return undefined;
          }
          const resolve = (specs: readonly GuardrailSpec[]) => Promise.all(specs.map((spec) => resolveSpec(reader, spec, identity)));
          const [input, output] = await Promise.all([resolve(guardrails.input), resolve(guardrails.output)]);
          const denyingOutput = guardrails.output.find((_spec, index) => output[index]?.deny === true && output[index]?.async !== true);
          if (prepared.stream && denyingOutput !== undefined && endpointHasAnswerText(prepared.endpoint)) {
            throw new BadRequestError(
              `The output guardrail at config.${denyingOutput.path} denies (deny: true), which a streamed answer cannot honour: its bytes reach the caller before the answer is complete. Send the request with stream: false, or set deny: false to have the verdict logged.`,
              'guardrail_requires_complete_answer',
              `config.${denyingOutput.path}`,
            );
          }
          const body = applyOverrideParams(prepared.json, leaf.settings.overrideParams);
          const model = typeof body?.model === 'string' ? body.model : undefined;
          // A refusal names the target it happened at, in the log and the response headers.
          trace.lastUsedOptionIndex = leaf.path;
          trace.provider = leaf.settings.provider;
          trace.model = model;
          trace.retries = 0;
          const context = { text: requestText(prepared.endpoint, body), model };
          const inputResults = input.map((definition) => evaluateGuardrail(definition, context, now));
          const failures = summary.add(leaf.path, 'input', input, inputResults);
          if (failedToShape(input, inputResults, true)) {
            summary.report('denied');
            throw new GuardrailDeniedError({ before_request_hooks: shown(input, inputResults), after_request_hooks: [] });
          }
          summary.report(failures > 0 ? 'failed' : 'passed');
          return new LeafGuardrailRun({ prepared, target: leaf.path, model, input, inputResults, output, summary, now, failures });
        },
      };
    },
  };
}
