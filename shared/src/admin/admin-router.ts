import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../core/gateway-error.ts';
import type { AdminRoute, AdminRouteHandler } from './admin-route.ts';

export interface MatchedAdminRoute {
  handler: AdminRouteHandler;
  params: Record<string, string>;
}

interface CompiledRoute {
  route: AdminRoute;
  segments: string[];
}

/** A path template's segment that captures (`{id}` → `id`), or undefined for a literal. */
function parameterName(segment: string): string | undefined {
  return segment.startsWith('{') && segment.endsWith('}') ? segment.slice(1, -1) : undefined;
}

/**
 * Match method + path against route templates. A path that matches with another method is a
 * 405 listing the allowed methods; no match at all is a 404.
 */
export function createAdminRouter(routes: readonly AdminRoute[]): (method: string, path: string) => MatchedAdminRoute {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  return (method, path) => {
    const segments = path.split('/').slice(1);
    const allowed: string[] = [];
    for (const { route, segments: template } of compiled) {
      const params = matchSegments(template, segments);
      if (params === undefined) continue;
      if (route.method === method) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0) throw new MethodNotAllowedError(method, path, allowed);
    throw new NotFoundError(`No admin route for ${method} ${path}.`, 'route_not_found');
  };
}

function matchSegments(template: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const actual = segments[index] ?? '';
    const name = parameterName(part);
    if (name === undefined) {
      if (part !== actual) return undefined;
      continue;
    }
    if (actual === '') return undefined;
    try {
      params[name] = decodeURIComponent(actual);
    } catch {
      throw new BadRequestError(`The path segment ${JSON.stringify(actual)} is not valid percent-encoding.`, 'invalid_path', name);
    }
  }
  return params;
}
