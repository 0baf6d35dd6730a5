import { describe, expect, it } from 'vitest';
import { schemaFields } from '../../electron/engine/config/schemaPaths.ts';

/**
 * Every number and duration jobs.yaml accepts has a range (walked from the schema, so a new
 * key without one fails here). The exceptions are values matched or compared, not limits.
 */
const NOT_LIMITS = new Set([
  'jobs[].stages[].version',
  'jobs[].priority_rules[].equals',
  'jobs[].priority_rules[].contains',
  'jobs[].priority_rules[].gte',
  'jobs[].priority_rules[].lte',
]);

describe('bounds', () => {
  const fields = schemaFields().filter((f) => !NOT_LIMITS.has(f.path));

  it('hold every number to a range', () => {
    const numbers = fields.filter((f) => /\b(integer|number)\b/.test(f.type));
    expect(numbers.length).toBeGreaterThan(10);
    const open = numbers.filter(
      (f) =>
        !f.constraints.some((c) => c.startsWith('≤')) ||
        !f.constraints.some((c) => c.startsWith('≥') || c.startsWith('>')),
    );
    expect(open.map((f) => `${f.path} (${f.constraints.join(', ') || 'no bounds'})`)).toEqual([]);
  });

  it('hold every duration to a range', () => {
    const durations = fields.filter((f) => /\bduration\b/.test(f.type));
    expect(durations.length).toBeGreaterThan(10);
    expect(
      durations.filter((f) => !f.constraints.some((c) => / to /.test(c))).map((f) => f.path),
    ).toEqual([]);
  });
});
