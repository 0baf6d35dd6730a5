import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { startTestEngine, type TestEngine } from '../helpers/testEngine.ts';

// The dashboard's read models over a real engine and SQLite file (no browser needed):
// pipelines across jobs, item links, overview card extras, throughput and settings.
const HANDLER = resolve(import.meta.dirname, '../fixtures/discovery/scoreHandler.ts');

const YAML = `daily_cost_limit: 5
timezone: UTC
notifications: { min_level: error, rate_limit: 2/5m }
llm:
  default_provider: local
  providers:
    local:
      base_url: http://127.0.0.1:11434/v1
      api_key: secret:local-key
      models: [small, large]
jobs:
  - id: scored
    pipeline: news/score
    handler: ${HANDLER}
    guards: { daily_cost_limit: 1.5 }
    discovery:
      strategy: static
      every: 1h
      params:
        items:
          - { key: low, data: { n: 3 } }
          - { key: edge, data: { n: 10, title: Edge case } }
          - { key: high, data: { n: 42 } }
    stages:
      - name: score
  - id: published
    pipeline: news/publish
    handler: ${HANDLER}
    discovery:
      strategy: tracker_query
      params: { job: scored, stage: score, min_score: 10 }
    stages:
      - name: publish
`;

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function chained(): Promise<TestEngine> {
  const e = await startTestEngine(YAML);
  await e.engine.discovery.runNow('scored');
  await e.engine.waitIdle();
  await e.engine.discovery.runNow('published');
  await e.engine.waitIdle();
  return e;
}

describe('the dashboard read models', () => {
  it('draws chained jobs as one edge with how many downstream items came from upstream', async () => {
    t = await chained();
    const p = await t.api.pipelines({});
    expect(p.edges).toEqual([
      {
        from: 'scored',
        to: 'published',
        stage: 'score',
        status: 'done',
        items: 2,
        configured: true,
      },
    ]);
    expect(p.groups).toEqual([{ name: 'news', jobs: ['scored', 'published'] }]);
    expect(p.jobs.find((j) => j.id === 'published')).toMatchObject({
      name: 'news',
      step: 'publish',
    });
  });

  it('links an item to its upstream item and an upstream item to its downstream items', async () => {
    t = await chained();
    const ids = t.db
      .prepare(`SELECT id, job_id AS jobId FROM items WHERE item_key = 'edge' ORDER BY id`)
      .all() as { id: number; jobId: string }[];
    const up = ids.find((r) => r.jobId === 'scored')!.id;
    const down = ids.find((r) => r.jobId === 'published')!.id;
    const upDetail = await t.api.item({ itemId: up });
    expect(upDetail.upstream).toBeNull();
    expect(upDetail.downstream).toEqual({
      items: [{ id: down, jobId: 'published', key: 'edge', title: 'Edge case' }],
      total: 1,
    });
    const downDetail = await t.api.item({ itemId: down });
    expect(downDetail.upstream).toEqual({
      id: up,
      jobId: 'scored',
      key: 'edge',
      title: 'Edge case',
    });
    expect(downDetail.downstream).toEqual({ items: [], total: 0 });
  });

  it('gives each overview card its cost against the limit and its discovery schedule', async () => {
    t = await chained();
    t.db
      .prepare(
        `INSERT INTO costs (ts, job_id, stage, model, usd) VALUES (?, 'scored', 'score', 'small', 0.25)`,
      )
      .run(Date.now());
    const o = await t.api.overview({});
    const scored = o.jobs.find((j) => j.id === 'scored')!;
    expect(scored.costToday).toEqual({ spentUsd: 0.25, limitUsd: 1.5, globalLimitUsd: 5 });
    expect(scored.discovery).toMatchObject({
      strategy: 'static',
      exhausted: false,
      lastError: null,
    });
    expect(scored.discovery!.lastRoundAt).toBeGreaterThan(0);
    const published = o.jobs.find((j) => j.id === 'published')!;
    expect(published.costToday).toMatchObject({ spentUsd: 0, limitUsd: null });
  });

  it('counts completed runs per job in time buckets from the stages_done events', async () => {
    t = await chained();
    const r = await t.api.throughput({ buckets: 5, bucketMs: 60_000 });
    expect(r.series.scored).toHaveLength(5);
    expect(r.series.scored!.reduce((a, b) => a + b, 0)).toBe(3);
    expect(r.series.published!.reduce((a, b) => a + b, 0)).toBe(2);
    expect(r.since + 4 * 60_000).toBeLessThanOrEqual(Date.now());
  });

  it('lists providers, models and notification preferences without any key or password', async () => {
    t = await startTestEngine(YAML);
    const s = await t.api.settings({});
    expect(s.llm.providers).toEqual([
      {
        name: 'local',
        baseUrl: 'http://127.0.0.1:11434/v1',
        models: ['small', 'large'],
        apiKeySecret: 'local-key',
        timeoutMs: 120_000,
      },
    ]);
    expect(s.notifications).toEqual({
      configured: true,
      enabled: true,
      minLevel: 'error',
      rateLimit: { count: 2, perMs: 300_000 },
    });
    expect(JSON.stringify(s)).not.toContain('local-key-value');
    // A password in a provider's URL never gets this far: jobs.yaml refuses it at load.
    expect(() =>
      parseConfigText(
        YAML.replace('http://127.0.0.1:11434', 'http://user:hunter2@127.0.0.1:11434'),
        '/x/jobs.yaml',
      ),
    ).toThrow(/llm\.providers\.local\.base_url: this looks like a password inside a URL/);
  });
});
