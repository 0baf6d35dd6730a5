import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../../electron/engine/config/ConfigError.ts';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { openDatabase } from '../../electron/engine/db/openDatabase.ts';
import type { EngineEvent } from '../../electron/engine/events/EventBus.ts';
import { Engine } from '../../electron/engine/runner/Engine.ts';
import { loadAndPrepare } from '../../electron/engine/runner/loadAndPrepare.ts';
import { hold as holdFor } from '../helpers/holds.ts';
import { SCRIPTED, startTestEngine, tempDir, type TestEngine } from '../helpers/testEngine.ts';
import { RSS } from './feeds.ts';
import { fixtureServer, send } from './helpers.ts';

let t: TestEngine | undefined;
let server: Awaited<ReturnType<typeof fixtureServer>> | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  await server?.close();
  server = undefined;
  for (const c of cleanups.splice(0)) await c();
});

function job(id: string, discovery: string, extra = ''): string {
  return `jobs:
  - id: ${id}
    handler: ${SCRIPTED}
${extra}
    discovery:
${discovery}
    stages:
      - name: fetch
`;
}

function events(tt: TestEngine, kind: string): Record<string, unknown>[] {
  return (
    tt.db.prepare(`SELECT data FROM events WHERE kind = ? ORDER BY id`).all(kind) as {
      data: string;
    }[]
  ).map((r) => JSON.parse(r.data) as Record<string, unknown>);
}

describe('discovery rounds in the engine', () => {
  it('records every round with found, new, merged, errors and duration, and merges provenance', async () => {
    let round = 0;
    server = await fixtureServer({
      '/api': (_req, res) => {
        round++;
        res.end(
          JSON.stringify([
            { id: 'a', topics: [`t${round}`], rank: round },
            ...(round > 1 ? [{ id: 'b' }] : []),
          ]),
        );
      },
    });
    t = await startTestEngine(
      job('j', `      strategy: http_json\n      params: { url: "${server.url('/api')}" }`),
    );
    await t.engine.discovery.runNow('j');
    await t.engine.discovery.runNow('j');
    const rounds = events(t, 'discovery_round');
    expect(rounds.map((r) => [r.found, r.new, r.merged, r.errors])).toEqual([
      [1, 1, 0, 0],
      [2, 1, 1, 0],
    ]);
    expect(typeof rounds[0]?.ms).toBe('number');
    const a = t.db.prepare(`SELECT data FROM items WHERE item_key = 'a'`).get() as { data: string };
    expect(JSON.parse(a.data)).toEqual({ id: 'a', topics: ['t1', 't2'], rank: 1 });
  });

  it('skips a round while the job is at max_pending, and says why', async () => {
    const items = [1, 2, 3]
      .map((i) => `          - { key: k${i}, data: { script: { fetch: hold } } }`)
      .join('\n');
    t = await startTestEngine(
      job(
        'mp',
        `      strategy: static\n      params:\n        items:\n${items}`,
        '    guards: { max_pending: 2 }',
      ),
    );
    cleanups.push(() => [1, 2, 3].forEach((i) => holdFor(`k${i}/fetch`).release()));
    await t.engine.discovery.runNow('mp');
    await t.engine.discovery.runNow('mp');
    expect(events(t, 'discovery_skipped')).toEqual([
      { reason: 'max_pending', unfinished: 2, limit: 2 },
    ]);
    expect(t.engine.discovery.status('mp').skippedReason).toBe(
      'max_pending: 2 of 2 items unfinished',
    );
    expect(events(t, 'discovery_round')).toHaveLength(1);
  });

  it('backs off after a 429 for as long as Retry-After says', async () => {
    server = await fixtureServer({ '/feed': send(429, 'slow down', { 'retry-after': '120' }) });
    t = await startTestEngine(
      job('rl', `      strategy: rss\n      params: { url: "${server.url('/feed')}" }`),
    );
    await t.engine.discovery.runNow('rl');
    const [round] = events(t, 'discovery_round');
    expect(round).toMatchObject({ errors: 1, class: 'rate_limited', backoff_ms: 120_000 });
    expect(t.engine.discovery.status('rl').backoffUntil).toBeGreaterThan(Date.now() + 100_000);
    await t.engine.discovery.runNow('rl');
    expect(server.hits.get('/feed')).toBe(1);
  });

  it('pauses the job when the source answers with a login page', async () => {
    server = await fixtureServer({
      '/feed': send(200, '<html><body><form><input type="password"></form></body></html>', {
        'content-type': 'text/html',
      }),
    });
    t = await startTestEngine(
      job('auth', `      strategy: rss\n      params: { url: "${server.url('/feed')}" }`),
    );
    await t.engine.discovery.runNow('auth');
    const st = t.db
      .prepare(`SELECT paused, pause_reason AS reason FROM jobs_state WHERE job_id = 'auth'`)
      .get() as {
      paused: number;
      reason: string;
    };
    expect(st.paused).toBe(1);
    expect(st.reason).toMatch(/login page/);
    expect(events(t, 'discovery_round')[0]).toMatchObject({ class: 'systemic' });
  });

  it('raises "source went quiet" once when nothing new arrives for longer than quiet_after', async () => {
    t = await startTestEngine(
      job('q', `      strategy: static\n      quiet_after: 1s\n      params: { items: [only] }`),
    );
    const seen: EngineEvent[] = [];
    t.engine.bus.on((e) => seen.push(e));
    await t.engine.discovery.runNow('q');
    const last = t.engine.discovery.status('q').lastNewAt ?? 0;
    while (Date.now() <= last + 1000) await new Promise((r) => setTimeout(r, 50));
    await t.engine.discovery.runNow('q');
    await t.engine.discovery.runNow('q');
    expect(events(t, 'source_quiet')).toHaveLength(1);
    expect(
      seen.filter((e) => e.type === 'attention' && e.title === 'Source went quiet'),
    ).toHaveLength(1);
  });

  it('keeps strategy state across a restart (the second host sends the ETag)', async () => {
    server = await fixtureServer({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === '"e1"') res.writeHead(304).end();
        else res.writeHead(200, { etag: '"e1"', 'content-type': 'application/rss+xml' }).end(RSS);
      },
    });
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const text = job('st', `      strategy: rss\n      params: { url: "${server.url('/feed')}" }`);
    const config = parseConfigText(text, join(dir, 'jobs.yaml'));
    for (let i = 0; i < 2; i++) {
      const db = openDatabase(join(dir, 'tributary.db'));
      const engine = await Engine.create({ db, config, discovery: false });
      engine.start();
      await engine.discovery.runNow('st');
      await engine.stop(1000);
      db.close();
    }
    expect(server.requests.map((r) => r.headers['if-none-match'] ?? null)).toEqual([null, '"e1"']);
  });

  it('pages a backfill job through the archive and stops when it is exhausted, also after a restart', async () => {
    server = await fixtureServer({
      '/archive': (_req, res, u) => {
        const p = Number(u.searchParams.get('page'));
        res.end(JSON.stringify(p <= 3 ? [{ id: `old-${p}` }] : []));
      },
    });
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const text = job(
      'bf',
      `      strategy: http_json\n      every: 1s\n      params: { url: "${server.url('/archive')}", pagination: { param: page } }`,
      '    kind: backfill',
    );
    const config = parseConfigText(text, join(dir, 'jobs.yaml'));
    let db = openDatabase(join(dir, 'tributary.db'));
    let engine = await Engine.create({ db, config, discovery: false });
    engine.start();
    for (let i = 0; i < 6 && engine.discovery.status('bf').exhaustedAt === null; i++)
      await engine.discovery.runNow('bf');
    expect(engine.discovery.status('bf').exhaustedAt).not.toBeNull();
    await engine.stop(1000);
    const keys = (
      db.prepare(`SELECT item_key AS k FROM items ORDER BY id`).all() as { k: string }[]
    ).map((r) => r.k);
    expect(keys).toEqual(['old-1', 'old-2', 'old-3']);
    expect(
      db.prepare(`SELECT count(*) AS n FROM events WHERE kind = 'discovery_exhausted'`).get(),
    ).toEqual({ n: 1 });
    db.close();
    const hits = server.hits.get('/archive');
    db = openDatabase(join(dir, 'tributary.db'));
    engine = await Engine.create({ db, config });
    engine.start();
    expect(engine.discovery.status('bf').nextRoundAt).toBeNull();
    expect(engine.discovery.busy).toBe(false);
    await engine.stop(1000);
    db.close();
    expect(server.hits.get('/archive')).toBe(hits);
  });

  it('runs the first round at start and drains it with waitIdle', async () => {
    t = await startTestEngine(
      job('st2', `      strategy: static\n      params: { items: [a, b] }`),
      { discovery: true },
    );
    await t.engine.waitIdle();
    expect(
      t.db.prepare(`SELECT count(*) AS n FROM item_stages WHERE status = 'done'`).get(),
    ).toEqual({ n: 2 });
  });
});

describe('third-party strategies', () => {
  const MODULE = new URL('../fixtures/discovery/customStrategy.ts', import.meta.url).pathname;

  it('come from the job handler module, and their params are checked when jobs.yaml loads', async () => {
    const text = `jobs:
  - id: custom
    handler: ${MODULE}
    discovery: { strategy: countdown, params: { count: 3 } }
    stages:
      - name: fetch
  - id: broken
    handler: ${MODULE}
    discovery: { strategy: countdown, params: { count: 0 } }
    stages:
      - name: fetch
`;
    const dir = mkdtempSync(join(tmpdir(), 'tributary-strategy-'));
    const file = join(dir, 'jobs.yaml');
    writeFileSync(file, text);
    const err = await loadAndPrepare(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map(formatProblem)).toEqual([
      expect.stringMatching(/jobs\.yaml:9:\d+ jobs\[1\]\.discovery\.params\.count: /),
    ]);
    t = await startTestEngine(text.slice(0, text.indexOf('  - id: broken')));
    await t.engine.discovery.runNow('custom');
    await t.engine.waitIdle();
    expect(
      t.db
        .prepare(
          `SELECT count(*) AS n FROM item_stages WHERE job_id = 'custom' AND status = 'done'`,
        )
        .get(),
    ).toEqual({ n: 3 });
  });
});
