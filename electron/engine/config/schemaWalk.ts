import type { z } from 'zod';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
};

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strips optional/default/prefault/nullable/pipe wrappers down to the schema that holds data. */
function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else if (d.type === 'lazy' && d.getter) s = d.getter();
    else return s;
  }
}

/**
 * The schemas a data path leads to: `['jobs', 0, 'stages', 1, 'retry']` → the retry object.
 * Unions give every alternative that fits the path, so `breakers.transient` (a number,
 * `false` or an object) still leads to its object form.
 */
export function schemasAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current = [root];
  for (const key of path) {
    const next: z.ZodType[] = [];
    const visit = (s: z.ZodType) => {
      const u = unwrap(s);
      const d = defOf(u);
      if (d.type === 'union') for (const o of d.options ?? []) visit(o);
      else if (d.type === 'object' && typeof key === 'string' && d.shape?.[key])
        next.push(d.shape[key]);
      else if (d.type === 'record' && typeof key === 'string' && d.valueType)
        next.push(d.valueType);
      else if (d.type === 'array' && typeof key === 'number' && d.element) next.push(d.element);
    };
    for (const s of current) visit(s);
    current = next;
  }
  return current;
}

/** The keys an object at `path` allows (empty when the path leads to no object). */
export function keysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  const collect = (s: z.ZodType) => {
    const u = unwrap(s);
    const d = defOf(u);
    if (d.type === 'union') for (const o of d.options ?? []) collect(o);
    else if (d.type === 'object') for (const k of Object.keys(d.shape ?? {})) keys.add(k);
  };
  for (const s of schemasAt(root, path)) collect(s);
  return [...keys];
}
