import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseDuration } from '../config/duration.ts';
import { closest } from '../util/closest.ts';

/** A duration param: `30s`, `5m` (strings with a unit) or a number of milliseconds. */
export const DurationParam = z.union([z.number().int().min(0), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  try {
    return parseDuration(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

/** A byte size: a number, or `10MB`, `512KB`. */
export const BytesParam = z.union([z.number().int().positive(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$/i.exec(v);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `not a size: ${v} (write e.g. 10MB)` });
    return z.NEVER;
  }
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(m[2] ?? 'B').toUpperCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
});

const cache = new WeakMap<object, WeakMap<object, unknown>>();

/**
 * Validates a built-in stage's `params` (strict: a typo fails with a "did you mean" hint).
 * Parsed once per params object, since the same object is reused for every item.
 */
export function parseParams<S extends z.ZodObject>(
  builtin: string,
  schema: S,
  params: Record<string, unknown>,
): z.output<S> {
  let perSchema = cache.get(schema);
  if (!perSchema) cache.set(schema, (perSchema = new WeakMap()));
  const hit = perSchema.get(params);
  if (hit) return hit as z.output<S>;
  const r = schema.safeParse(params);
  if (!r.success) {
    const allowed = Object.keys(schema.shape);
    const msgs = r.error.issues.map((i) => {
      if (i.code === 'unrecognized_keys') {
        return i.keys
          .map((k) => {
            const hint = closest(k, allowed);
            return `unknown param \`${k}\`${hint ? ` — did you mean \`${hint}\`?` : ` (params: ${allowed.join(', ')})`}`;
          })
          .join('; ');
      }
      return `${i.path.join('.') || 'params'}: ${i.message}`;
    });
    throw new Error(`builtin/${builtin}: ${msgs.join('; ')}`);
  }
  perSchema.set(params, r.data);
  return r.data as z.output<S>;
}

/** JSON with sorted keys: equal values give equal text however the YAML was formatted. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** 8 hex characters of sha256 over what shapes a stage's output. */
export function fingerprintOf(shaping: unknown): string {
  return createHash('sha256').update(canonicalJson(shaping)).digest('hex').slice(0, 8);
}
