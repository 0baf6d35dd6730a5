import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../electron/engine/config/ConfigError.ts';
import { parseDuration } from '../../electron/engine/config/duration.ts';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';

function problems(text: string): string[] {
  try {
    parseConfigText(text, '/x/jobs.yaml');
  } catch (e) {
    if (e instanceof ConfigError)
      return e.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('jobs.yaml loading', () => {
  it('accepts a minimal job and fills in defaults', () => {
    const c = parseConfigText(
      `jobs:\n  - id: a\n    handler: h.ts\n    stages:\n      - name: s\n`,
      '/x/jobs.yaml',
    );
    expect(c.dataDir).toBe('/x/data');
    expect(c.jobs[0]!.stages[0]).toMatchObject({
      concurrency: 1,
      timeout: 300_000,
      retry: { max_attempts: 5, backoff: 2000, max_backoff: 3_600_000 },
    });
    expect(c.jobs[0]!.graph.order).toEqual(['s']);
  });

  it('names the line, column and field of a typo and suggests the closest key', () => {
    const p = problems(
      `jobs:\n  - id: a\n    handler: h.ts\n    stages:\n      - name: s\n        concurency: 3\n`,
    );
    expect(p).toEqual([
      '6:9 jobs[0].stages[0].concurency: unknown key `concurency` — did you mean `concurrency`?',
    ]);
  });

  it('reports every problem at once, in file order', () => {
    const p = problems(
      `jobs:\n  - id: Bad Id\n    handler: h.ts\n    stages:\n      - name: s\n        timeout: 30\n        retry: { max_attempts: 0 }\n`,
    );
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(/^2:9 jobs\[0\]\.id: use lowercase/);
    expect(p[1]).toMatch(/^6:18 jobs\[0\]\.stages\[0\]\.timeout: /);
    expect(p[2]).toMatch(/^7:32 jobs\[0\]\.stages\[0\]\.retry\.max_attempts: /);
  });

  it('refuses durations without a unit with a clear message', () => {
    expect(() => parseDuration('30')).toThrow(/add|unit/);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    const p = problems(
      `jobs:\n  - id: a\n    handler: h.ts\n    stages:\n      - name: s\n        timeout: 5 minutes\n`,
    );
    expect(p[0]).toMatch(/`5 minutes` is not a duration/);
  });

  it('rejects cycles, unknown dependencies and duplicate ids', () => {
    const p = problems(
      `jobs:
  - id: a
    handler: h.ts
    stages: [{ name: x }, { name: y }, { name: x }]
    stage_deps:
      x: [y]
      y: [x, z]
  - id: a
    handler: h.ts
    stages: [{ name: s }]
`,
    );
    expect(p.join('\n')).toMatch(/duplicate stage name `x`/);
    expect(p.join('\n')).toMatch(/depends on unknown stage `z`/);
    expect(p.join('\n')).toMatch(/stage_deps has a cycle: (x → y → x|y → x → y)/);
    expect(p.join('\n')).toMatch(/8:\d+ jobs\[1\]\.id: duplicate job id `a`/);
  });

  it('reports YAML syntax errors with their position', () => {
    const p = problems(`jobs:\n  - id: a\n    stages: [\n`);
    expect(p[0]).toMatch(/^\d+:\d+ : YAML syntax/);
  });

  it('requires a handler module or a built-in for every stage', () => {
    expect(problems(`jobs:\n  - id: a\n    stages: [{ name: s }]\n`)[0]).toMatch(
      /no `uses:` and job `a` has no `handler:`/,
    );
  });
});
