import { toGatewayError } from '../core/gateway-error.ts';
import { parsePortkeyRequestHeaders } from '../protocol/portkey-request-headers.ts';
import type { GatewayRequestContext } from './gateway-engine.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { errorResponse } from './error-response.ts';
import { authenticateRequest, credentialHeaders } from './request-access.ts';
import type { UsageLimitsStep } from './usage-limits-step.ts';

/**
 * `GET /v1/usage`: the calling key's (or principal's) own budgets and rate limits with what it
 * has used, authenticated like any API call. It shows only the caller's own counters.
 */
export async function answerUsage(runtime: GatewayRuntime, step: UsageLimitsStep, request: Request, context: GatewayRequestContext | undefined): Promise<Response> {
  try {
    const portkey = parsePortkeyRequestHeaders(credentialHeaders(request.headers, runtime.settings));
    const access = await authenticateRequest(runtime, portkey, context);
    return Response.json(await step.report(access.identity));
  } catch (error) {
    return errorResponse(toGatewayError(error));
  }
}
