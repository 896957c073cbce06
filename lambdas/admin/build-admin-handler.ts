import { type AdminRuntime, createAdminEngine } from '@turnpike/shared/engine/create-admin-engine';
import {
  type FunctionUrlBufferedResult,
  createBufferedFunctionUrlHandler,
} from '@turnpike/shared/http/create-buffered-function-url-handler';
import { type FunctionUrlEvent, iamPrincipalFromFunctionUrlEvent } from '@turnpike/shared/http/function-url-event';

/** A buffered function URL handler body: one event in, the whole answer out. */
export type AdminEventHandler = (event: FunctionUrlEvent) => Promise<FunctionUrlBufferedResult>;

/**
 * The admin API's function URL handler for a runtime. The IAM signer's ARN comes from the
 * event (Lambda verified it), never from a header, and goes to the engine beside the request.
 */
export function buildAdminHandler(runtime: AdminRuntime): AdminEventHandler {
  const engine = createAdminEngine(runtime);
  return (event) => {
    const transport = { iamArn: iamPrincipalFromFunctionUrlEvent(event) };
    return createBufferedFunctionUrlHandler({ handle: (request) => engine.handle(request, transport) })(event);
  };
}
