/**
 * Paths into a Config in the notation error messages and `param` use:
 * `targets[1].retry.attempts`, `strategy.conditions[0].query["params.model"].$in`.
 */

/** `a.b` for plain keys, `a["params.model"]` for keys a dot or space would make ambiguous. */
export function appendPathKey(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** `a[3]`. */
export function appendPathIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Joins segments as zod and the semantic checks produce them onto `start` (the root is the empty string). */
export function formatConfigPath(segments: readonly PropertyKey[], start = ''): string {
  let path = start;
  for (const segment of segments) {
    path = typeof segment === 'number' ? appendPathIndex(path, segment) : appendPathKey(path, String(segment));
  }
  return path;
}
