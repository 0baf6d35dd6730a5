/**
 * How a re-discovered item's data is merged into what is stored, per job
 * (`discovery.merge` in jobs.yaml). Pure: no I/O, no clock, the inputs are never mutated.
 *
 * Rules, field by field (nested objects recurse with the same rules):
 * - a field only one side has is kept;
 * - `union` lists are unioned in order: the stored entries first, then new ones not already
 *   present (compared by value), so `sources: [feed]` + `[search]` → `[feed, search]`;
 *   by default every list is a union list;
 * - `replace` fields take the incoming value (when it is not blank): a title that was fixed
 *   at the source, a file's newest path;
 * - every other scalar keeps the FIRST value seen. Blank means `undefined`, `null` or `''`
 *   only: `0` and `false` are values, so a stored `rank: 0` is never replaced by `rank: 7`.
 */
export interface MergePolicy {
  /** List fields that are unioned; `'*'` (default) means every list field. */
  union: string[] | '*';
  /** Fields where the newest non-blank value wins. */
  replace: string[];
}

export const DEFAULT_MERGE_POLICY: MergePolicy = { union: '*', replace: [] };

type Obj = Record<string, unknown>;

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Order-preserving union; entries compare by their JSON text (objects in lists too). */
export function unionLists(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of [...a, ...b]) {
    const k = typeof v === 'string' ? `s:${v}` : `j:${JSON.stringify(v)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

export function mergeProvenance(
  existing: Obj,
  incoming: Obj,
  policy: MergePolicy = DEFAULT_MERGE_POLICY,
  path = '',
): Obj {
  const out: Obj = { ...existing };
  for (const [k, next] of Object.entries(incoming)) {
    const field = path ? `${path}.${k}` : k;
    const prev = existing[k];
    if (policy.replace.includes(field) || policy.replace.includes(k)) {
      out[k] = isBlank(next) ? prev : next;
      continue;
    }
    if (isBlank(prev)) {
      out[k] = isBlank(next) && prev !== undefined ? prev : next;
      continue;
    }
    const unionable =
      policy.union === '*' || policy.union.includes(field) || policy.union.includes(k);
    if (Array.isArray(prev) && unionable) {
      // A scalar arriving for a list field (one source sends `topic: x`) joins the list.
      out[k] = unionLists(prev, Array.isArray(next) ? next : isBlank(next) ? [] : [next]);
      continue;
    }
    if (isPlainObject(prev) && isPlainObject(next)) {
      out[k] = mergeProvenance(prev, next, policy, field);
      continue;
    }
    // Scalars (and non-union lists) keep the first value: it is what the item was found as.
  }
  return out;
}

/** The policy of a job: its strategy's defaults under what jobs.yaml says. */
export function resolveMergePolicy(
  configured: Partial<MergePolicy> | undefined,
  strategyDefaults: Partial<MergePolicy> | undefined,
): MergePolicy {
  return {
    union: configured?.union ?? strategyDefaults?.union ?? DEFAULT_MERGE_POLICY.union,
    replace: [...new Set([...(strategyDefaults?.replace ?? []), ...(configured?.replace ?? [])])],
  };
}
