/** One page of a listing; `cursor` is opaque and present only when more items may follow. */
export interface Page<T> {
  items: T[];
  cursor: string | undefined;
}

/**
 * Where a listing starts and how much it returns. A page may hold fewer than `limit` items
 * (expired items are dropped after reading) and still have a cursor: follow it until none is left.
 */
export interface PageRequest {
  /** Largest number of items to return; stores cap it at 1000. @default 50 */
  limit?: number;
  /** The `cursor` of the previous page, passed back unchanged. */
  cursor?: string;
}
