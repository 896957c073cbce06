import { MethodNotAllowedError, NotFoundError, toGatewayError } from '../core/gateway-error.ts';
import { errorResponse } from './error-response.ts';

export interface AdminEngineOptions {
  /** Reported by /health. */
  version: string;
}

/** The admin API as a web-standard handler; like the gateway engine, it never throws. */
export interface AdminEngine {
  handle(request: Request): Promise<Response>;
}

/**
 * The admin API. For now it answers `GET /health` with its status and version; the key,
 * config and virtual-key routes come with the admin issue. Every other path is an
 * OpenAI-shaped 404, so clients see the same error family as on the gateway.
 */
export function createAdminEngine(options: AdminEngineOptions): AdminEngine {
  const health = JSON.stringify({ status: 'ok', version: options.version });
  return {
    async handle(request) {
      try {
        const path = new URL(request.url).pathname.replace(/(.)\/$/, '$1');
        if (path !== '/health') {
          throw new NotFoundError(`No admin route for ${request.method} ${path}.`, 'route_not_found');
        }
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          throw new MethodNotAllowedError(request.method, path, ['GET', 'HEAD']);
        }
        return new Response(request.method === 'HEAD' ? null : health, { headers: { 'content-type': 'application/json' } });
      } catch (error) {
        return errorResponse(toGatewayError(error));
      }
    },
  };
}
