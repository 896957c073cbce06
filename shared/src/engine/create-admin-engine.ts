import type { AdminRuntime, AdminTransportIdentity } from '../admin/admin-runtime.ts';
import { createAdminRouter } from '../admin/admin-router.ts';
import { ADMIN_ROUTES } from '../admin/admin-routes.ts';
import { readJsonBody } from '../admin/admin-input.ts';
import type { AdminContext } from '../admin/admin-route.ts';
import { MethodNotAllowedError, toGatewayError } from '../core/gateway-error.ts';
import { errorResponse } from './error-response.ts';

export type { AdminRuntime, AdminTransportIdentity } from '../admin/admin-runtime.ts';

/** The admin API as a web-standard handler; like the gateway engine, it never throws. */
export interface AdminEngine {
  /** `transport` carries what the function URL verified (the IAM signer's ARN on AWS). */
  handle(request: Request, transport?: AdminTransportIdentity): Promise<Response>;
}

/**
 * The admin API (docs/ADMIN-API.md): `GET /health` for anyone, every other route after the
 * runtime's authenticator named the actor (IAM ARN on AWS, the admin token locally). Errors
 * are OpenAI-shaped, as on the gateway. Nothing is cached: every call reads the stores.
 */
export function createAdminEngine(runtime: AdminRuntime): AdminEngine {
  const health = JSON.stringify({ status: 'ok', version: runtime.version });
  const route = createAdminRouter(ADMIN_ROUTES);
  return {
    async handle(request, transport = {}) {
      try {
        const url = new URL(request.url);
        const path = url.pathname.replace(/(.)\/$/, '$1');
        if (path === '/health') {
          if (request.method !== 'GET' && request.method !== 'HEAD') throw new MethodNotAllowedError(request.method, path, ['GET', 'HEAD']);
          return new Response(request.method === 'HEAD' ? null : health, { headers: { 'content-type': 'application/json' } });
        }
        // Authenticate before routing, so an unauthenticated caller learns nothing about routes.
        const actor = runtime.authenticator.authenticate(request, transport);
        const { handler, params } = route(request.method, path);
        const context: AdminContext = {
          actor,
          control: runtime.control,
          vault: runtime.keyVault,
          clock: runtime.clock,
          ...(runtime.counters === undefined ? {} : { counters: runtime.counters }),
          ...(runtime.logs === undefined ? {} : { logs: runtime.logs }),
          ...(runtime.rollups === undefined ? {} : { rollups: runtime.rollups }),
        };
        return await handler({ context, params, query: url.searchParams, body: () => readJsonBody(request) });
      } catch (error) {
        const gatewayError = toGatewayError(error);
        if (gatewayError.status >= 500) console.error('turnpike admin: request failed', error);
        return errorResponse(gatewayError);
      }
    },
  };
}
