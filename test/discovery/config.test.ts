import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../electron/engine/config/ConfigError.ts';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';

function problems(yaml: string): string[] {
  try {
    parseConfigText(yaml, '/x/jobs.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.line}:${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

const stage = `    stages:\n      - { name: a, uses: builtin/noop }\n`;

describe('discovery config at load time', () => {
  it('reports an unknown strategy with a did-you-mean and its line', () => {
    const out = problems(`jobs:\n  - id: j\n    discovery:\n      strategy: rsss\n${stage}`);
    expect(out).toEqual([
      expect.stringMatching(
        /^4:jobs\[0\]\.discovery\.strategy: unknown discovery strategy `rsss` — did you mean `rss`\?/,
      ),
    ]);
  });

  it('reports bad and unknown params at the param line', () => {
    const out = problems(`jobs:
  - id: j
    discovery:
      strategy: rss
      params:
        url: not-a-url
        limt: 3
${stage}`);
    expect(out).toEqual([
      expect.stringMatching(/^6:jobs\[0\]\.discovery\.params\.url: rss: /),
      expect.stringMatching(
        /^7:jobs\[0\]\.discovery\.params\.limt: rss: unknown param `limt` — did you mean `limit`\?/,
      ),
    ]);
  });

  it('accepts a strategy it does not know when the job has a handler module that may export it', () => {
    const out = problems(
      `jobs:\n  - id: j\n    handler: h.ts\n    discovery:\n      strategy: my_source\n    stages:\n      - name: a\n`,
    );
    expect(out).toEqual([]);
  });

  it('checks tracker_query against the other jobs and their stages', () => {
    const out = problems(`jobs:
  - id: up
${stage}  - id: down
    discovery:
      strategy: tracker_query
      params: { job: up, stage: score }
${stage}`);
    expect(out).toEqual([
      expect.stringMatching(
        /discovery\.params\.stage: tracker_query: stage: job `up` has no stage `score` \(stages: a\)/,
      ),
    ]);
  });

  it('checks nested multi_source params', () => {
    const out = problems(`jobs:
  - id: j
    discovery:
      strategy: multi_source
      params: { sources: [{ strategy: rss, params: {} }] }
${stage}`);
    expect(out.join('\n')).toMatch(/sources\[0\]\.params\.url/);
  });

  it('refuses every and cron together, a bad cron and a backfill job without a source', () => {
    const out = problems(`jobs:
  - id: j
    discovery: { strategy: manual, every: 1h, cron: "0 * * * *" }
${stage}  - id: k
    discovery: { strategy: manual, cron: "61 * * * *" }
${stage}  - id: b
    kind: backfill
${stage}`);
    expect(out.join('\n')).toMatch(/set `every` or `cron`, not both/);
    expect(out.join('\n')).toMatch(/invalid cron expression/);
    expect(out.join('\n')).toMatch(/a backfill job needs a `discovery:` source/);
  });

  it('checks routes: jobs exist, regexes compile, typos in keys get a hint', () => {
    const out = problems(`routes:
  default: nobody
  rules:
    - { host: example.org, path: "(", job: j }
    - { host: x.org, job: ghost }
jobs:
  - id: j
${stage}`);
    expect(out.join('\n')).toMatch(/routes\.default: no job `nobody`/);
    expect(out.join('\n')).toMatch(/routes\.rules\[0\]\.path: .*Invalid regular expression/);
    expect(out.join('\n')).toMatch(/routes\.rules\[1\]\.job: no job `ghost`/);
    const typo = problems(
      `routes:\n  rules:\n    - { hots: x.org, job: j }\njobs:\n  - id: j\n${stage}`,
    );
    expect(typo.join('\n')).toMatch(/unknown key `hots` — did you mean `host`\?/);
  });

  it('accepts guards.max_pending, pipeline labels and a merge policy, and rejects unknown guard keys', () => {
    expect(
      problems(`jobs:
  - id: j
    pipeline: news/fetch
    guards: { max_pending: 100 }
    discovery: { strategy: manual, merge: { union: [topics], replace: [title] } }
${stage}`),
    ).toEqual([]);
    expect(
      problems(`jobs:\n  - id: j\n    guards: { max_pendng: 1 }\n${stage}`).join('\n'),
    ).toMatch(/did you mean `max_pending`/);
  });
});
