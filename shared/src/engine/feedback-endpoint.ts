import { BadRequestError, toGatewayError } from '../core/gateway-error.ts';
import type { JsonValue } from '../core/json.ts';
import { createFeedbackRecorder, type FeedbackRecorder } from '../logging/record-feedback.ts';
import { parsePortkeyRequestHeaders } from '../protocol/portkey-request-headers.ts';
import type { GatewayRequestContext } from './gateway-engine.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { errorResponse } from './error-response.ts';
import { readRequestBody } from './read-request-body.ts';
import { authenticateRequest, credentialHeaders } from './request-access.ts';

const decoder = new TextDecoder();

/** The runtime's feedback recorder, or one on its log store with the default retention. */
export function feedbackRecorderOf(runtime: GatewayRuntime): FeedbackRecorder {
  return runtime.feedback ?? createFeedbackRecorder({ logs: runtime.stores.logs, clock: runtime.clock });
}

/**
 * `POST /v1/feedback` as Portkey answers it: the caller is authenticated like any API call,
 * each feedback is stored with its trace, and the answer is
 * `{"status":"success","message":"feedback recorded","feedback_ids":[…]}` (ids in input order).
 * Feedback calls are not request-logged themselves.
 */
export async function answerFeedback(runtime: GatewayRuntime, recorder: FeedbackRecorder, request: Request, context: GatewayRequestContext | undefined): Promise<Response> {
  try {
    const portkey = parsePortkeyRequestHeaders(credentialHeaders(request.headers, runtime.settings));
    const access = await authenticateRequest(runtime, portkey, context);
    const bytes = await readRequestBody(request, runtime.settings.maxBodyBytes);
    let body: JsonValue;
    try {
      body = JSON.parse(decoder.decode(bytes)) as JsonValue;
    } catch {
      throw new BadRequestError('The feedback body must be JSON: {"trace_id", "value", "weight"?, "metadata"?}.', 'invalid_json');
    }
    const { identity } = access;
    const caller = identity.kind === 'anonymous' ? {} : { workspaceId: identity.workspaceId, apiKeyId: identity.id };
    const ids = await recorder.record(body, caller);
    return Response.json({ status: 'success', message: 'feedback recorded', feedback_ids: ids });
  } catch (error) {
    return errorResponse(toGatewayError(error));
  }
}
