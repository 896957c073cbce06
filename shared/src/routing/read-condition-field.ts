/** What a conditional-routing query can look at for one request. */
export interface ConditionContext {
  /** `x-portkey-metadata`: always strings. */
  metadata: Readonly<Record<string, string>>;
  /** The request body. */
  params: Readonly<Record<string, unknown>>;
  url: { pathname: string };
}

/**
 * The value at a field path (syntax checked by describeBadFieldPath in
 * protocol/validate-condition-query.ts), or undefined when the request does not have it.
 */
export function readConditionField(path: string, context: ConditionContext): unknown {
  if (path === 'url.pathname') return context.url.pathname;
  if (path.startsWith('metadata.')) return ownValue(context.metadata, path.slice('metadata.'.length));
  if (path.startsWith('params.')) {
    let current: unknown = context.params;
    for (const segment of path.slice('params.'.length).split('.')) {
      current = child(current, segment);
      if (current === undefined) return undefined;
    }
    return current;
  }
  return undefined;
}

function child(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) {
    if (/^(0|[1-9][0-9]*)$/.test(segment)) return value[Number(segment)];
    // `params.messages.length` reads as it would in JavaScript, which Portkey's router is.
    return segment === 'length' ? value.length : undefined;
  }
  if (typeof value === 'object' && value !== null) return ownValue(value as Record<string, unknown>, segment);
  return undefined;
}

/** Own properties only: `params.constructor` or `metadata.__proto__` must not reach prototypes. */
function ownValue(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
