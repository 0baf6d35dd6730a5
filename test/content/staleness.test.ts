import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { Engine } from '../../electron/engine/runner/Engine.ts';
import { EnvSecretStore } from '../../electron/engine/secrets/SecretStore.ts';
import { counts, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { startFixtureServer, type FixtureServer } from './helpers/fixtureServer.ts';
import { startFakeOpenAi, type FakeOpenAi } from './helpers/openaiServer.ts';
import { article } from './fixtures/pages.ts';

let t: TestEngine | undefined;
let second: Engine | undefined;
let web: FixtureServer | undefined;
let llm: FakeOpenAi | undefined;
afterEach(async () => {
  await second?.stop(1000);
  await t?.close();
  await web?.close();
  await llm?.close();
  t = second = web = llm = undefined;
});

const secrets = new EnvSecretStore({ TRIBUTARY_SECRET_FAKE: 'sk-test' });
function yaml(baseUrl: string, summarizePrompt: string, formatting = '') {
  return `llm:
  providers:
    fake: { base_url: ${baseUrl}, api_key: secret:fake, models: [gpt-4o-mini] }
jobs:
  - id: news
    stages:
      - { name: fetch, uses: builtin/fetch }
      - { name: extract, uses: builtin/extract }
      - name: summarize
        uses: builtin/llm
        params:
          prompt: "${summarizePrompt}"
          schema: { type: object, properties: { summary: { type: string } }, required: [summary] }
      - name: tags
        uses: builtin/llm${formatting}
        params: { prompt: "List tags for {{ extract.title }}", schema: { type: object, properties: { tags: { type: array } }, required: [tags] } }
    stage_deps:
      extract: [fetch]
      summarize: [extract]
      tags: [extract]
`;
}

describe('versions, staleness and reprocess', () => {
  it('makes exactly the edited prompt’s results stale and reprocesses them without fetching again', async () => {
    web = await startFixtureServer({ '/a': { body: article('A') }, '/b': { body: article('B') } });
    llm = await startFakeOpenAi((req) =>
      req.messages[1]?.content.includes('List tags')
        ? { content: { tags: ['rivers'] } }
        : { content: { summary: `v${req.messages[1]?.content.includes('briefly') ? 2 : 1}` } },
    );
    t = await startTestEngine(yaml(llm.baseUrl, 'Summarize {{ extract.title }}'), { secrets });
    t.engine.addItems('news', [
      { key: 'a', data: { url: web.url('/a') } },
      { key: 'b', data: { url: web.url('/b') } },
    ]);
    await t.engine.waitIdle();
    expect(
      t.db.prepare(`SELECT stage, status, error FROM item_stages WHERE status <> 'done'`).all(),
    ).toEqual([]);
    expect(counts(t.db, 'news').tags).toEqual({ done: 2 });
    expect(web.totalHits()).toBe(2);
    expect(llm.requests).toHaveLength(4);
    const before = await t.api.job({ jobId: 'news' });
    expect(before.stages.map((s) => s.stale)).toEqual([0, 0, 0, 0]);
    await t.engine.stop(1000);

    // Edit one prompt and reformat the other stage's YAML (a comment and spacing): restart.
    const text = yaml(llm.baseUrl, 'Summarize {{ extract.title }} briefly', '   # reformatted');
    const config = parseConfigText(text, join(t.dir, 'jobs.yaml'));
    second = await Engine.create({ db: t.db, config, discovery: false, secrets });
    second.start();
    const api = new EngineApi(t.db, config, second);
    const stale = await api.job({ jobId: 'news' });
    expect(Object.fromEntries(stale.stages.map((s) => [s.name, s.stale]))).toEqual({
      fetch: 0,
      extract: 0,
      summarize: 2,
      tags: 0,
    });

    const dry = await api.reprocess({
      jobId: 'news',
      stage: 'summarize',
      staleOnly: true,
      dryRun: true,
    });
    expect(dry).toMatchObject({ count: 2, stages: ['summarize'], dryRun: true });
    expect(dry.estimatedUsd).toBeCloseTo(2 * 0.00021, 8);
    expect(counts(t.db, 'news').summarize).toEqual({ done: 2 }); // a dry run changes nothing

    const real = await api.reprocess({ jobId: 'news', stage: 'summarize', staleOnly: true });
    expect(real.count).toBe(2);
    await second.waitIdle();
    expect(counts(t.db, 'news').summarize).toEqual({ done: 2 });
    expect((await api.job({ jobId: 'news' })).stages.map((s) => s.stale)).toEqual([0, 0, 0, 0]);
    expect(web.totalHits()).toBe(2); // upstream artifacts reused: nothing fetched again
    expect(llm.requests).toHaveLength(6); // two summaries again, no tags
    const outputs = t.db.prepare(`SELECT output FROM results WHERE stage = 'summarize'`).all() as {
      output: string;
    }[];
    expect(outputs.map((o) => JSON.parse(o.output).summary)).toEqual(['v2', 'v2']);
  });

  it('reprocessing extract re-reads the stored page and re-runs everything after it', async () => {
    web = await startFixtureServer({ '/a': { body: article('A') } });
    llm = await startFakeOpenAi((req) =>
      req.messages[1]?.content.includes('List tags')
        ? { content: { tags: [] } }
        : { content: { summary: 's' } },
    );
    t = await startTestEngine(yaml(llm.baseUrl, 'Summarize'), { secrets });
    t.engine.addItems('news', [{ key: 'a', data: { url: web.url('/a') } }]);
    await t.engine.waitIdle();
    const r = await t.api.reprocess({ jobId: 'news', stage: 'extract' });
    expect(r).toMatchObject({ count: 1, stages: ['extract', 'summarize', 'tags'] });
    await t.engine.waitIdle();
    expect(counts(t.db, 'news')).toEqual({
      fetch: { done: 1 },
      extract: { done: 1 },
      summarize: { done: 1 },
      tags: { done: 1 },
    });
    expect(web.hits('/a')).toBe(1);
  });
});
