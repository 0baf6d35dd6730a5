import { z } from 'zod';
import { getPath } from '../discovery/jsonPath.ts';

/**
 * Priority rules: the first rule whose condition matches a discovered item's data sets its
 * priority (lower runs first), unless discovery gave one explicitly. Conditions read a field
 * of the item's data by dotted path.
 */
export const PriorityRule = z
  .strictObject({
    field: z
      .string()
      .min(1)
      .describe('Dotted path into the item data, e.g. `source` or `meta.lang`.'),
    equals: z
      .union([z.string(), z.number(), z.boolean()])
      .optional()
      .describe('Matches when the field equals this value.'),
    matches: z
      .string()
      .superRefine((v, ctx) => {
        try {
          new RegExp(v);
        } catch (e) {
          ctx.addIssue({
            code: 'custom',
            message: `invalid regular expression: ${(e as Error).message}`,
          });
        }
      })
      .optional()
      .describe('Matches when the field (as text) matches this regular expression.'),
    gte: z.number().optional().describe('Matches when the field is a number ≥ this.'),
    lte: z.number().optional().describe('Matches when the field is a number ≤ this.'),
    contains: z
      .union([z.string(), z.number()])
      .optional()
      .describe('Matches when the field is a list containing this value.'),
    priority: z
      .number()
      .min(-1e9)
      .max(1e9)
      .describe('The priority to give matching items (lower runs first).'),
  })
  .refine((r) => [r.equals, r.matches, r.gte, r.lte, r.contains].some((v) => v !== undefined), {
    message: 'a rule needs a condition: equals, matches, gte, lte or contains',
  });

export type PriorityRule = z.output<typeof PriorityRule>;

/** The priority the first matching rule gives, or undefined when none matches. */
export function priorityFor(
  rules: readonly PriorityRule[],
  data: Record<string, unknown>,
): number | undefined {
  for (const r of rules) {
    const v = getPath(data, r.field);
    if (v === undefined) continue;
    if (r.equals !== undefined && v !== r.equals) continue;
    if (r.matches !== undefined && !new RegExp(r.matches).test(String(v))) continue;
    if (r.gte !== undefined && !(typeof v === 'number' && v >= r.gte)) continue;
    if (r.lte !== undefined && !(typeof v === 'number' && v <= r.lte)) continue;
    if (r.contains !== undefined && !(Array.isArray(v) && v.includes(r.contains))) continue;
    return r.priority;
  }
  return undefined;
}

/** Items keep an explicit priority; others get the first matching rule's. */
export function withPriorities<T extends { data: Record<string, unknown>; priority?: number }>(
  rules: readonly PriorityRule[] | undefined,
  items: T[],
): T[] {
  if (!rules || rules.length === 0) return items;
  return items.map((i) => {
    if (i.priority !== undefined) return i;
    const p = priorityFor(rules, i.data);
    return p === undefined ? i : { ...i, priority: p };
  });
}
