/**
 * Engine benchmarks (issue: engine core):
 * - 3-stage no-op pipeline over N items, concurrency 10 per stage: items/s, stage-runs/s;
 * - hand-off latency from a stage's completion to its dependent's start (p50, p99);
 * - cold start of a host on a database holding 1,000,000 items to the first claim, and RSS.
 */
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfigText } from '../electron/engine/config/loadConfig.ts';
import { openDatabase } from '../electron/engine/db/openDatabase.ts';
import { Engine } from '../electron/engine/runner/Engine.ts';

const NOOP = resolve(import.meta.dirname, 'fixtures/noop.ts');

function yaml(concurrency: number, ids = ['bench']): string {
  return `jobs:\n${ids
    .map(
      (id) => `  - id: ${id}
    handler: ${NOOP}
    stages:
      - { name: a, concurrency: ${concurrency} }
      - { name: b, concurrency: ${concurrency} }
      - { name: c, concurrency: ${concurrency} }
`,
    )
    .join('')}`;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

async function pipeline(items: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const file = join(dir, 'jobs.yaml');
    writeFileSync(file, yaml(10));
    const config = parseConfigText(yaml(10), file);
    const db = openDatabase(join(dir, 'b.db'));
    const engine = await Engine.create({ db, config, discovery: false });
    const g = globalThis as unknown as { __handoffs?: number[] };
    g.__handoffs = [];
    // Seed while paused so the measurement covers processing only.
    engine.pauseJob('bench', 'seeding', undefined);
    engine.start();
    const seedStart = performance.now();
    for (let i = 0; i < items; i += 10_000) {
      engine.addItems(
        'bench',
        Array.from({ length: Math.min(10_000, items - i) }, (_, k) => ({
          key: `k${i + k}`,
          data: { n: i + k },
        })),
      );
    }
    const seedMs = performance.now() - seedStart;
    const t0 = performance.now();
    engine.resumeJob('bench');
    await engine.waitIdle();
    const ms = performance.now() - t0;
    const done = (
      db.prepare(`SELECT count(*) AS n FROM item_stages WHERE status = 'done'`).get() as {
        n: number;
      }
    ).n;
    await engine.stop(1000);
    db.close();
    if (done !== items * 3) throw new Error(`expected ${items * 3} done stage runs, got ${done}`);
    return {
      items,
      seed_items_per_s: Math.round(items / (seedMs / 1000)),
      pipeline_s: +(ms / 1000).toFixed(2),
      items_per_s: Math.round(items / (ms / 1000)),
      stage_runs_per_s: Math.round((items * 3) / (ms / 1000)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Hand-off latency under load: a `load` job saturates the engine with a 3-stage pipeline while
 * a `probe` job receives one item every 2 ms; for each probe item we measure the time from the
 * end of one stage's run to the start of the next (completion write + promotion + claim +
 * start), which is what a polling design pays seconds for.
 */
async function handoff(loadItems: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-h-'));
  try {
    const text = yaml(10, ['load', 'probe']);
    writeFileSync(join(dir, 'jobs.yaml'), text);
    const db = openDatabase(join(dir, 'h.db'));
    const engine = await Engine.create({
      db,
      config: parseConfigText(text, join(dir, 'jobs.yaml')),
      discovery: false,
    });
    const g = globalThis as unknown as { __handoffs?: number[] };
    g.__handoffs = [];
    engine.start();
    for (let i = 0; i < loadItems; i += 10_000) {
      engine.addItems(
        'load',
        Array.from({ length: Math.min(10_000, loadItems - i) }, (_, k) => ({
          key: `l${i + k}`,
          data: {},
        })),
      );
    }
    let probes = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        engine.addItems('probe', [{ key: `p${probes}`, data: { probe: true } }]);
        if (++probes >= 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    const loadLeft = (
      db
        .prepare(`SELECT count(*) AS n FROM item_stages WHERE job_id = 'load' AND status <> 'done'`)
        .get() as { n: number }
    ).n;
    await engine.waitIdle();
    await engine.stop(1000);
    db.close();
    const h = (g.__handoffs ?? []).sort((a, b) => a - b);
    return {
      probe_handoffs: h.length,
      load_rows_still_queued_when_probing_ended: loadLeft,
      handoff_p50_ms: +pct(h, 50).toFixed(3),
      handoff_p99_ms: +pct(h, 99).toFixed(3),
      handoff_max_ms: +pct(h, 100).toFixed(3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds a DB with `n` items (3 stages each: 1 done, 1 pending, 1 waiting) by batched SQL. */
function seedLarge(dbPath: string, n: number): void {
  const db = openDatabase(dbPath);
  const now = Date.now();
  db.prepare(
    `INSERT INTO job_stages (job_id, stage, position, deps, version) VALUES ('bench','a',0,'[]','1'),('bench','b',1,'["a"]','1'),('bench','c',2,'["b"]','1')`,
  ).run();
  const item = db.prepare(
    `INSERT INTO items (id, job_id, item_key, data, priority, discovered_at, updated_at) VALUES (?, 'bench', ?, ?, 0, ?, ?)`,
  );
  const st = db.prepare(
    `INSERT INTO item_stages (item_id, job_id, stage, status, priority, ready_at, version) VALUES (?, 'bench', ?, ?, 0, ?, ?)`,
  );
  const res = db.prepare(
    `INSERT INTO results (item_id, stage, version, output, created_at, updated_at) VALUES (?, 'a', '1', '{"t":0}', ?, ?)`,
  );
  for (let i = 1; i <= n; i += 10_000) {
    db.transaction(() => {
      for (let k = i; k < Math.min(n + 1, i + 10_000); k++) {
        item.run(k, `k${k}`, `{"n":${k},"title":"item ${k}"}`, now, now);
        st.run(k, 'a', 'done', now, '1');
        st.run(k, 'b', 'pending', now, null);
        st.run(k, 'c', 'waiting', now, null);
        res.run(k, now, now);
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function coldStart(n: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  try {
    const dataDir = join(dir, 'data');
    const seedStart = performance.now();
    seedLarge(join(dataDir, 'tributary.db'), n);
    const seedS = (performance.now() - seedStart) / 1000;
    writeFileSync(join(dir, 'jobs.yaml'), yaml(10));
    // Bundled like the real host (dist/), so the figure is not inflated by a TS loader.
    const child = join(resolve(import.meta.dirname, '..'), 'dist', 'bench', 'coldStart.child.js');
    await build({
      entryPoints: [resolve(import.meta.dirname, 'coldStart.child.ts')],
      outfile: child,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    const out = execFileSync(process.execPath, [child, join(dir, 'jobs.yaml'), dataDir], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, number>;
    return { db_items: n, seed_s: +seedS.toFixed(1), ...r };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, number | string>> {
  const items = Number(process.env.BENCH_ITEMS ?? 100_000);
  const p = await pipeline(items);
  const h = await handoff(items);
  const c = await coldStart(Number(process.env.BENCH_COLD_ITEMS ?? 1_000_000));
  return {
    ...Object.fromEntries(Object.entries(p).map(([k, v]) => [`pipeline_${k}`, v])),
    ...Object.fromEntries(Object.entries(h).map(([k, v]) => [`load_${k}`, v])),
    ...Object.fromEntries(Object.entries(c).map(([k, v]) => [`cold_${k}`, v])),
  };
}
