import type { AccessStores } from '../keys/access-stores.ts';
import type { LogStore } from '../ports/log-store.ts';
import type { RollupStore } from '../ports/rollup-store.ts';

/**
 * One authenticated admin call: who is acting, and the stores it acts on (the same ports the
 * keys module's write helpers take, so the context is passed to them as it is).
 */
export interface AdminContext extends AccessStores {
  /** IAM ARN on AWS, `local-admin` locally; written into every audit record. */
  actor: string;
  /** Request logs and feedback, read by `/v1/logs`; absent = that API answers 501. */
  logs?: LogStore;
  /** Analytics rollups, read by `/v1/analytics`; absent = that API answers 501. */
  rollups?: RollupStore;
}

export interface AdminRequest {
  context: AdminContext;
  /** Path parameters, URI-decoded (`{id}` → `params.id`). */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The JSON body, read on demand (undefined when empty). */
  body(): Promise<unknown>;
}

export type AdminRouteHandler = (request: AdminRequest) => Promise<Response>;

/** A route: method and path template (`/v1/keys/{id}/rotate`). */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handler: AdminRouteHandler;
}

/** A JSON answer. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** 204 after a delete. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}
