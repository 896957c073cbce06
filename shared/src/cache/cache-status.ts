/** What `x-portkey-cache-status` reports for one request. */
export type CacheStatus = 'DISABLED' | 'MISS' | 'HIT' | 'SEMANTIC HIT' | 'REFRESH';

/** How the write of an answer into the cache ended; recorded in the request log. */
export type CacheWriteOutcome = 'stored' | 'too_large' | 'failed';
