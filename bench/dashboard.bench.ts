/**
 * Dashboard speed with 1,000,000 items: overview API response time (goal < 300 ms), time to
 * first render of the overview in Chromium (goal < 1 s), and page memory after a long
 * simulated event stream (goal: no growth). The API runs without a live engine, over a
 * seeded database; events are pushed straight into the bus the server streams from.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '../test/e2e/headlessHost.ts';
import { EngineApi } from '../electron/engine/api/EngineApi.ts';
import { parseConfigText } from '../electron/engine/config/loadConfig.ts';
import { openDatabase } from '../electron/engine/db/openDatabase.ts';
import { EventBus } from '../electron/engine/events/EventBus.ts';
import { startDashboardServer } from '../electron/server/DashboardServer.ts';

const ITEMS = Number(process.env.BENCH_DASHBOARD_ITEMS ?? 1_000_000);
const STREAM_EVENTS = Number(process.env.BENCH_DASHBOARD_EVENTS ?? 200_000);
const root = resolve(import.meta.dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<Record<string, number | string>> {
  if (!existsSync(join(root, 'dist/renderer/index.html')))
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'renderer/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      { cwd: root, stdio: 'inherit' },
    );
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-dash-'));
  const yaml = `jobs:\n  - id: big\n    title: A million items\n    handler: ${join(root, 'test/fixtures/handlers/scripted.ts')}\n    stages:\n      - { name: fetch }\n      - { name: score }\n`;
  writeFileSync(join(dir, 'jobs.yaml'), yaml);
  const config = parseConfigText(yaml, join(dir, 'jobs.yaml'));
  const db = openDatabase(join(dir, 'tributary.db'));
  const out: Record<string, number | string> = { items: ITEMS };
  try {
    // Seed: 1M items, 2 stages each, a realistic mix of statuses.
    const t0 = performance.now();
    db.prepare(
      `INSERT INTO job_stages (job_id, stage, position, deps, version) VALUES ('big','fetch',0,'[]','1'), ('big','score',1,'["fetch"]','1')`,
    ).run();
    const now = Date.now();
    db.exec('BEGIN');
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO items (id, job_id, item_key, data, priority, discovered_at, updated_at)
       SELECT i, 'big', 'k' || i, json_object('title', 'Item ' || i), i % 10, ?, ? FROM n`,
    ).run(ITEMS, now, now);
    db.prepare(
      `INSERT INTO item_stages (item_id, job_id, stage, status, priority, ready_at, elapsed_ms, version)
       SELECT id, 'big', 'fetch', CASE WHEN id % 10 < 7 THEN 'done' WHEN id % 10 = 7 THEN 'failed' ELSE 'pending' END, priority, ?, 100 + id % 900, '1' FROM items`,
    ).run(now);
    db.prepare(
      `INSERT INTO item_stages (item_id, job_id, stage, status, priority, ready_at, elapsed_ms, version)
       SELECT id, 'big', 'score', CASE WHEN id % 10 < 5 THEN 'done' WHEN id % 10 < 7 THEN 'pending' ELSE 'waiting' END, priority, ?, 50, '1' FROM items`,
    ).run(now);
    db.exec('COMMIT');
    db.exec('ANALYZE');
    out.seedMs = Math.round(performance.now() - t0);

    const api = new EngineApi(db, config);
    const bus = new EventBus();
    const server = await startDashboardServer({ api, bus });
    try {
      const call = async (method: string, input: unknown) => {
        const s = performance.now();
        const r = await fetch(`${server.url}/api/${method}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.token}` },
          body: JSON.stringify(input),
        });
        await r.json();
        return performance.now() - s;
      };
      await call('overview', {});
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(await call('overview', {}));
      out.overviewApiMsP50 = Math.round(median(times));
      const pageTimes: number[] = [];
      for (let i = 0; i < 3; i++)
        pageTimes.push(await call('items', { jobId: 'big', limit: 50, offset: 500_000 }));
      out.itemsPageAtOffset500kMsP50 = Math.round(median(pageTimes));
      // The same page by keyset (the row before it as the cursor): the cost of any page.
      const cursor = db
        .prepare(
          `SELECT id, priority FROM items WHERE job_id = 'big' ORDER BY priority, id LIMIT 1 OFFSET ?`,
        )
        .get(Math.min(499_999, ITEMS - 1)) as { id: number; priority: number };
      const keysetTimes: number[] = [];
      for (let i = 0; i < 3; i++)
        keysetTimes.push(
          await call('items', {
            jobId: 'big',
            limit: 50,
            afterId: cursor.id,
            afterPriority: cursor.priority,
          }),
        );
      out.itemsKeysetPageAt500kMsP50 = Math.round(median(keysetTimes));
      const filtered: number[] = [];
      for (let i = 0; i < 3; i++)
        filtered.push(await call('items', { jobId: 'big', status: 'failed', limit: 50 }));
      out.itemsFilteredByStatusMsP50 = Math.round(median(filtered));
      const filteredStage: number[] = [];
      for (let i = 0; i < 3; i++)
        filteredStage.push(
          await call('items', { jobId: 'big', stage: 'score', status: 'waiting', limit: 50 }),
        );
      out.itemsFilteredByStageStatusMsP50 = Math.round(median(filteredStage));

      const browser = await launchChromium(['--js-flags=--expose-gc']);
      try {
        const page = await browser.newPage();
        const s = performance.now();
        await page.goto(server.openUrl);
        await page.locator('[data-job="big"] [data-status="done"]').first().waitFor();
        out.overviewFirstRenderMs = Math.round(performance.now() - s);

        const heap = () =>
          page.evaluate(() => {
            (globalThis as unknown as { gc?: () => void }).gc?.();
            return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory
              .usedJSHeapSize;
          });
        // An hour of a busy host, compressed: ~14,400 coalesced messages an hour at 4/s per
        // job; here STREAM_EVENTS engine events through the real coalescer and SSE stream.
        const before = await heap();
        for (let i = 0; i < STREAM_EVENTS; i++) {
          bus.emit({ type: 'progress', jobId: 'big', stages: { done: 1 } });
          if (i % 2000 === 0) await new Promise((r) => setTimeout(r, 20));
        }
        await new Promise((r) => setTimeout(r, 3000));
        const after = await heap();
        out.streamEvents = STREAM_EVENTS;
        out.heapBeforeMB = +(before / 1e6).toFixed(2);
        out.heapAfterMB = +(after / 1e6).toFixed(2);
      } finally {
        await browser.close();
      }
    } finally {
      await server.close();
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
