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

  it('finds every typo in one pass, even inside a job that has other problems', () => {
    const p = problems(`resources:
  api: { concurency: 2 }
jobs:
  - id: a
    emjoi: x
    handler: h.ts
    stages:
      - { name: s, timout: 5s }
      - { name: t, uses: builtin/fetch, params: { max_redirect: 3 } }
  - id: b
    handler: h.ts
    discovery: { strategy: static, evry: 1h, params: { items: [] } }
    stages: [{ name: s, retry: { max_attemps: 2 } }]
`);
    expect(p).toEqual([
      expect.stringMatching(
        /^2:10 resources\.api\.concurency: unknown key `concurency` — did you mean `concurrency`\?/,
      ),
      expect.stringMatching(/^5:5 jobs\[0\]\.emjoi: unknown key `emjoi` — did you mean `emoji`\?/),
      expect.stringMatching(
        /^8:20 jobs\[0\]\.stages\[0\]\.timout: unknown key `timout` — did you mean `timeout`\?/,
      ),
      expect.stringMatching(
        /^9:51 jobs\[0\]\.stages\[1\]\.params\.max_redirect: unknown param `max_redirect` — did you mean `max_redirects`\?/,
      ),
      expect.stringMatching(
        /^12:36 jobs\[1\]\.discovery\.evry: unknown key `evry` — did you mean `every`\?/,
      ),
      expect.stringMatching(
        /^13:34 jobs\[1\]\.stages\[0\]\.retry\.max_attemps: unknown key `max_attemps` — did you mean `max_attempts`\?/,
      ),
    ]);
  });

  it('says a bare number has no unit, and holds durations, rates and numbers to ranges', () => {
    const p = problems(`resources:
  api: { rate: 5/100ms, concurrency: 1000000000 }
jobs:
  - id: a
    handler: h.ts
    discovery: { strategy: static, every: 15, params: { items: [] } }
    stages:
      - { name: s, timeout: 30d }
      - { name: t, timeout: 0s }
`).join('\n');
    expect(p).toMatch(/2:16 resources\.api\.rate: `5\/100ms`: the window must be at least 1s/);
    expect(p).toMatch(/2:38 resources\.api\.concurrency: Too big/);
    expect(p).toMatch(/6:43 jobs\[0\]\.discovery\.every: `15` has no unit: write e\.g\. `15s`/);
    expect(p).toMatch(
      /8:29 jobs\[0\]\.stages\[0\]\.timeout: `30d` is out of range: use between 1s and 24h/,
    );
    expect(p).toMatch(/9:29 jobs\[0\]\.stages\[1\]\.timeout: `0s` is out of range/);
  });

  it('refuses credentials in any string, and accepts secret:NAME references', () => {
    const p = problems(`jobs:
  - id: a
    handler: h.ts
    discovery:
      strategy: http_json
      params:
        url: https://bob:hunter2pass@api.example.org/items?page=1
        items: data
        headers: { Authorization: "Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0", X-Api-Key: "secret:example" }
    stages:
      - { name: s, params: { password: "correct-horse-battery", token_field: id, feed: "https://example.org/rss?page=2" } }
`).join('\n');
    expect(p).toMatch(
      /7:14 jobs\[0\]\.discovery\.params\.url: this looks like .*take it out of the URL/,
    );
    expect(p).toMatch(
      /9:35 jobs\[0\]\.discovery\.params\.headers\.Authorization: this looks like .*secret:NAME/,
    );
    expect(p).toMatch(/11:40 jobs\[0\]\.stages\[0\]\.params\.password: this looks like/);
    expect(p).not.toMatch(/X-Api-Key|token_field|feed/);
  });

  it('refuses an empty or jobless file, and files that are not text', () => {
    for (const text of ['', '~\n', '# nothing\n', 'resources: {}\n', 'jobs:\n'])
      expect(problems(text).join('\n'), JSON.stringify(text)).toMatch(/jobs: \[\]/);
    expect(problems('jobs: []\n')).toEqual([]);
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
jobs: []
`;
    expect(problems(bomb)[0]).toMatch(/^2:\d+ : YAML: aliases expand to more than 100 copies/);
    expect(problems('jobs: *nope\n')[0]).toMatch(
      /^1:7 : YAML: the alias `\*nope` refers to no anchor/,
    );
  });

  it('spells out invisible and look-alike characters in an unknown key', () => {
    const p = problems(`jobs:\n  - id: a\n    handler: h.ts\n    stages: [{ n\u0430me: s }]\n`);
    expect(p.join('\n')).toMatch(
      /unknown key `n�me` \(it contains U\+0430, which is not plain ASCII — retype the key\) — did you mean `name`\?/,
    );
  });

  it('treats keys named like built-in object members as unknown keys', () => {
    expect(problems(`constructor: 1\ntoString: x\njobs: []\n`)).toEqual([
      expect.stringMatching(/^1:1 constructor: unknown key `constructor`/),
      expect.stringMatching(/^2:1 toString: unknown key `toString`/),
    ]);
  });

  it('refuses nesting deeper than 64 levels at its place, before the parser recurses into it', () => {
    const p = problems(`jobs: []\nx: ${'['.repeat(100_000)}\n`);
    expect(p).toEqual([expect.stringMatching(/^2:68 : YAML: nested more than 64 levels deep/)]);
  });

  it('reports at most 100 problems of a file, and counts the rest', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}: 1`).join('\n');
    const p = problems(`${keys}\njobs: []\n`);
    expect(p).toHaveLength(101);
    expect(p[100]).toMatch(/… and 4900 more problems from here on/);
  });

  it('finds duplicate keys, and says what a value reached through an alias is', () => {
    expect(problems(`jobs: []\njobs: []\n`)).toEqual([
      expect.stringMatching(
        /^2:1 : YAML: the key `jobs` appears twice in one mapping \(first at line 1\)/,
      ),
    ]);
    const p = problems(`x-stages: &st [{ name: s, concurrency: two, timeout: 5 }]
jobs:
  - id: a
    handler: h.ts
    stages: *st
`).join('\n');
    expect(p).toMatch(/concurrency: expected a number; got the text "two"/);
    expect(p).toMatch(/timeout: `5` has no unit/);
  });

  it('places an unclosed bracket where it opens', () => {
    const p = problems(
      `jobs:\n  - id: a\n    handler: h.ts\n    tags: [a, b\n    stages: [{ name: s }]\n`,
    );
    expect(p[0]).toMatch(/^4:11 : YAML syntax/);
  });
});
