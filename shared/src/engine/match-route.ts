import type { Endpoint } from '../core/endpoint.ts';
import { MethodNotAllowedError, NotFoundError } from '../core/gateway-error.ts';

export type RouteMatch =
  | { kind: 'health' }
  /** Portkey's feedback API: stored with the trace, never sent to a provider. */
  | { kind: 'feedback' }
  /** The calling key's own spend and limits; answered by the gateway, never sent to a provider. */
  | { kind: 'usage' }
  | { kind: 'api'; endpoint: Endpoint; /** Path below /v1. */ path: string };

const API_ROUTES: ReadonlyMap<string, { method: string; endpoint: Endpoint }> = new Map([
  ['/v1/chat/completions', { method: 'POST', endpoint: 'chat.completions' }],
  ['/v1/completions', { method: 'POST', endpoint: 'completions' }],
  ['/v1/embeddings', { method: 'POST', endpoint: 'embeddings' }],
  ['/v1/images/generations', { method: 'POST', endpoint: 'images.generations' }],
  ['/v1/audio/speech', { method: 'POST', endpoint: 'audio.speech' }],
  ['/v1/audio/transcriptions', { method: 'POST', endpoint: 'audio.transcriptions' }],
  ['/v1/audio/translations', { method: 'POST', endpoint: 'audio.translations' }],
  ['/v1/models', { method: 'GET', endpoint: 'models.list' }],
  ['/v1/messages', { method: 'POST', endpoint: 'messages' }],
]);

/**
 * Map a method and path to what the gateway does with it. A plain Map lookup: the table is
 * small and fixed, and every `/v1/*` path it does not name is passed through to the provider.
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const route = API_ROUTES.get(path);
  if (route !== undefined) {
    if (method !== route.method) throw new MethodNotAllowedError(method, path, [route.method]);
    return { kind: 'api', endpoint: route.endpoint, path: path.slice(3) };
  }
  if (path === '/v1/feedback') {
    if (method !== 'POST') throw new MethodNotAllowedError(method, path, ['POST']);
    return { kind: 'feedback' };
  }
  if (path === '/v1/usage' && method === 'GET') return { kind: 'usage' };
  if (path === '/health') {
    if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(method, path, ['GET', 'HEAD']);
    return { kind: 'health' };
  }
  if (path.startsWith('/v1/')) return { kind: 'api', endpoint: 'passthrough', path: path.slice(3) };
  throw new NotFoundError(`No route for ${method} ${path}. The API is served under /v1.`, 'route_not_found');
}
