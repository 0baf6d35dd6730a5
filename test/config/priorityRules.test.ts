import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { priorityFor, withPriorities } from '../../electron/engine/config/priorityRules.ts';
import { SCRIPTED, startTestEngine } from '../helpers/testEngine.ts';

const rules = [
  { field: 'source', equals: 'hn', priority: -2 },
  { field: 'meta.lang', matches: '^en', priority: 1 },
  { field: 'score', gte: 100, priority: -1 },
  { field: 'topics', contains: 'ai', priority: 0.5 },
];

describe('priority rules', () => {
  it('the first matching rule sets the priority; nothing matching leaves it unset', () => {
    expect(priorityFor(rules, { source: 'hn', score: 500 })).toBe(-2);
    expect(priorityFor(rules, { meta: { lang: 'en-GB' } })).toBe(1);
    expect(priorityFor(rules, { score: 100 })).toBe(-1);
    expect(priorityFor(rules, { score: 99 })).toBeUndefined();
    expect(priorityFor(rules, { topics: ['db', 'ai'] })).toBe(0.5);
    expect(priorityFor(rules, { score: '500' })).toBeUndefined();
  });

  it('an explicit priority from discovery wins over the rules', () => {
    expect(withPriorities(rules, [{ data: { source: 'hn' }, priority: 9 }])[0]?.priority).toBe(9);
    const items: { data: Record<string, unknown>; priority?: number }[] = [
      { data: { source: 'hn' } },
    ];
    expect(withPriorities(rules, items)[0]?.priority).toBe(-2);
  });

  it('a rule without a condition or with a bad regex is a config error', () => {
    expect(() =>
      parseConfigText(
        `jobs:\n  - id: a\n    handler: h.ts\n    priority_rules: [{ field: x, priority: 1 }, { field: y, matches: "(", priority: 2 }]\n    stages: [{ name: s }]\n`,
        '/x/jobs.yaml',
      ),
    ).toThrow(/a rule needs a condition[\s\S]*invalid regular expression/);
  });

  it('the engine applies them to items as they are discovered', async () => {
    const t = await startTestEngine(`jobs:
  - id: p
    handler: ${SCRIPTED}
    priority_rules: [{ field: source, equals: hn, priority: -5 }]
    stages: [{ name: a }]
`);
    try {
      t.engine.pauseJob('p', 'inspect', undefined);
      t.engine.addItems('p', [
        { key: 'x', data: { source: 'hn' } },
        { key: 'y', data: { source: 'blog' } },
      ]);
      const rows = t.db.prepare(`SELECT item_key AS key, priority FROM items ORDER BY id`).all();
      expect(rows).toEqual([
        { key: 'x', priority: -5 },
        { key: 'y', priority: 0 },
      ]);
    } finally {
      await t.close();
    }
  });
});
