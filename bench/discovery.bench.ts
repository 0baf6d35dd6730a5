/**
 * Discovery benchmark (issue: discovery): upsert + provenance merge of 10,000 re-discovered
 * items into a job that already holds them — the cost of every round of a big feed or
 * sitemap. Goal ≥ 50,000 items/s. Also counts the SQL statements such a round runs
 * (a few, not 30,000) and the first-discovery insert rate for comparison.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStageGraph } from '../electron/engine/config/stageGraph.ts';
import { openDatabase } from '../electron/engine/db/openDatabase.ts';
import { mergeProvenance } from '../electron/engine/discovery/mergeProvenance.ts';
import { Tracker, type NewItem } from '../electron/engine/tracker/Tracker.ts';

const N = 10_000;

function items(round: number): NewItem[] {
  return Array.from({ length: N }, (_, i) => ({
    key: `https://example.org/articles/${i}`,
    data: {
      url: `https://example.org/articles/${i}`,
      title: `Article ${i}`,
      rank: i % 50,
      sources: [`feed-${round % 3}`],
      topics: round === 0 ? ['news'] : ['news', `topic-${round}`],
    },
  }));
}

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-discovery-'));
  const db = openDatabase(join(dir, 'tributary.db'));
  try {
    const { graph } = buildStageGraph(['fetch', 'extract', 'score'], undefined);
    const tracker = new Tracker(db);
    const merge = (a: Record<string, unknown>, b: Record<string, unknown>) => mergeProvenance(a, b);
    let t0 = performance.now();
    tracker.addItems('bench', items(0), graph, merge);
    const insertMs = performance.now() - t0;

    // Count statements: better-sqlite3 has no counter, so wrap prepare()d statements' run/all/get.
    let statements = 0;
    const counting = new Tracker(
      new Proxy(db, {
        get(target, prop, receiver) {
          if (prop !== 'prepare') return Reflect.get(target, prop, receiver) as unknown;
          return (sql: string) => {
            const st = target.prepare(sql);
            return new Proxy(st, {
              get(s, p, r) {
                const v = Reflect.get(s, p, r) as unknown;
                if (typeof v !== 'function' || !['run', 'all', 'get'].includes(String(p))) return v;
                return (...args: unknown[]) => {
                  statements++;
                  return (v as (...a: unknown[]) => unknown).apply(s, args);
                };
              },
            });
          };
        },
      }),
    );
    const changed = items(1);
    t0 = performance.now();
    const r1 = counting.addItems('bench', changed, graph, merge);
    const mergedMs = performance.now() - t0;
    const mergedStatements = statements;

    statements = 0;
    const same = items(1);
    t0 = performance.now();
    const r2 = counting.addItems('bench', same, graph, merge);
    const unchangedMs = performance.now() - t0;

    return {
      'first discovery, items/s': Math.round(N / (insertMs / 1000)),
      're-discovery with merge, items/s': Math.round(N / (mergedMs / 1000)),
      're-discovery with merge, merged': r1.merged,
      're-discovery with merge, statements': mergedStatements,
      're-discovery unchanged, items/s': Math.round(N / (unchangedMs / 1000)),
      're-discovery unchanged, statements': statements,
      're-discovery unchanged, merged': r2.merged,
      goal: '≥ 50,000 items/s',
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
