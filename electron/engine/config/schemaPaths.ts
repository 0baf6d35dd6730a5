import { z } from 'zod';
import { ConfigFile } from './schema.ts';

/** One documented key of jobs.yaml. */
export interface SchemaField {
  /** Dotted path; `[]` marks list items and `<name>` map entries: `jobs[].stages[].retry.backoff`. */
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  constraints: string[];
}

type Js = {
  type?: string | string[];
  properties?: Record<string, Js>;
  required?: string[];
  items?: Js;
  additionalProperties?: Js | boolean;
  anyOf?: Js[];
  oneOf?: Js[];
  allOf?: Js[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  /** Set by config/durationSchema.ts: a duration string and its allowed range. */
  durationRange?: string;
};

function typeOf(s: Js): string {
  if (s.durationRange) return 'duration';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return [...new Set(alts.map(typeOf))].join(' | ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (
    s.type === 'object' &&
    s.additionalProperties &&
    typeof s.additionalProperties === 'object' &&
    !s.properties
  ) {
    return `map of name → ${typeOf(s.additionalProperties)}`;
  }
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return s.type ?? 'any';
}

function constraintsOf(s: Js): string[] {
  const out: string[] = [];
  if (s.durationRange) out.push(s.durationRange.replace('–', ' to '));
  for (const alt of s.anyOf ?? s.oneOf ?? []) {
    if (alt.durationRange) out.push(alt.durationRange.replace('–', ' to '));
    // A number among the alternatives (`breakers.x: 3 | false | {…}`) shows its range.
    if (alt.type === 'integer' || alt.type === 'number') out.push(...constraintsOf(alt));
  }
  if (s.pattern) out.push(`pattern \`${s.pattern}\``);
  if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${s.maximum}`);
  if (s.minItems !== undefined && s.minItems > 0) out.push(`at least ${s.minItems}`);
  return out;
}

/** Every key jobs.yaml accepts, walked from the zod schema itself (so docs cannot drift). */
export function schemaFields(): SchemaField[] {
  const root = z.toJSONSchema(ConfigFile, { io: 'input', unrepresentable: 'any' }) as Js;
  const out: SchemaField[] = [];
  const walk = (s: Js, path: string) => {
    const objectVariant = (s.anyOf ?? s.oneOf ?? []).find((a) => a.properties);
    const obj = s.properties ? s : objectVariant;
    if (obj?.properties) {
      for (const [key, child] of Object.entries(obj.properties)) {
        const p = path ? `${path}.${key}` : key;
        out.push({
          path: p,
          type: typeOf(child),
          required: (obj.required ?? []).includes(key) && child.default === undefined,
          ...(child.default !== undefined ? { default: child.default } : {}),
          ...(child.description ? { description: child.description } : {}),
          constraints: constraintsOf(child),
        });
        walk(child, p);
      }
    }
    if (s.type === 'array' && s.items) walk(s.items, `${path}[]`);
    if (
      s.type === 'object' &&
      s.additionalProperties &&
      typeof s.additionalProperties === 'object' &&
      !s.properties
    ) {
      walk(s.additionalProperties, `${path}.<name>`);
    }
    for (const alt of s.anyOf ?? s.oneOf ?? [])
      if (alt !== objectVariant && alt.type === 'array') walk(alt, path);
  };
  walk(root, '');
  return out;
}
