import type { ControlItem, ControlStore } from '../ports/control-store.ts';
import type { Page } from '../ports/page.ts';
import { invalidField } from './admin-errors.ts';
import { jsonResponse } from './admin-route.ts';

export interface AdminPageRequest {
  limit: number;
  cursor: string | undefined;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
/** Store reads one listing may make while a filter drops items, so one call stays bounded. */
const MAX_READS = 10;

/** `?limit=` (1–200, default 50) and `?cursor=` of a list endpoint. */
export function readPageRequest(query: URLSearchParams): AdminPageRequest {
  const rawLimit = query.get('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null) {
    limit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > MAX_LIMIT) throw invalidField('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  const cursor = query.get('cursor');
  return { limit, cursor: cursor === null || cursor === '' ? undefined : cursor };
}

export interface ListItemsOptions {
  idPrefix?: string;
  /** Keep only matching items (a query filter such as `workspace_id`). */
  keep?: (item: ControlItem) => boolean;
}

/**
 * One page of a kind, at most `limit` items. Each store read asks only for the items still
 * missing, so the store's cursor always sits right after the last item returned and nothing is
 * skipped; with a filter, a page may hold fewer items and still have a cursor (bounded reads).
 */
export async function listItems(control: ControlStore, kind: string, page: AdminPageRequest, options: ListItemsOptions = {}): Promise<Page<ControlItem>> {
  const items: ControlItem[] = [];
  let cursor = page.cursor;
  for (let reads = 0; reads < MAX_READS && items.length < page.limit; reads++) {
    const result = await control.list(kind, {
      limit: page.limit - items.length,
      ...(cursor === undefined ? {} : { cursor }),
      ...(options.idPrefix === undefined ? {} : { idPrefix: options.idPrefix }),
    });
    items.push(...(options.keep === undefined ? result.items : result.items.filter(options.keep)));
    cursor = result.cursor;
    if (cursor === undefined) break;
  }
  return { items, cursor };
}

/** The first live item of a kind that matches, read page by page (is a workspace still in use?). */
export async function findFirstItem(control: ControlStore, kind: string, matches: (item: ControlItem) => boolean): Promise<ControlItem | undefined> {
  let cursor: string | undefined;
  do {
    const result = await control.list(kind, { limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    const found = result.items.find(matches);
    if (found !== undefined) return found;
    cursor = result.cursor;
  } while (cursor !== undefined);
  return undefined;
}

/** `{"data":[…],"next_cursor":…}`, the answer of every list endpoint. */
export function listResponse(data: readonly unknown[], cursor: string | undefined): Response {
  return jsonResponse({ data, next_cursor: cursor ?? null });
}
