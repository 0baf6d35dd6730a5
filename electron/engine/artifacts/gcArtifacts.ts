import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/openDatabase.ts';
import { artifactTmpDir } from './artifactPath.ts';

export interface GcReport {
  scanned: number;
  removed: number;
  removedBytes: number;
  kept: number;
  keptBytes: number;
  dryRun: boolean;
}

/**
 * Removes stored content that no result references any more (`jobctl gc`). References are
 * read from `results.artifacts` — the only source of truth — at any depth, so a handler's
 * own `_artifacts` shape is honoured as long as it names `sha256`.
 *
 * Files younger than `minAgeMs` are kept: a run in flight may have stored its body and not
 * yet committed the result that references it.
 */
export function gcArtifacts(
  db: Db,
  root: string,
  options: { minAgeMs?: number; dryRun?: boolean; now?: number } = {},
): GcReport {
  const minAge = options.minAgeMs ?? 3_600_000;
  const now = options.now ?? Date.now();
  const dryRun = options.dryRun ?? false;
  const referenced = new Set(
    (
      db
        .prepare(
          `SELECT DISTINCT j.value AS sha FROM results, json_tree(results.artifacts) j
            WHERE results.artifacts IS NOT NULL AND j.key = 'sha256' AND j.type = 'text'`,
        )
        .all() as { sha: string }[]
    ).map((r) => r.sha),
  );
  const report: GcReport = {
    scanned: 0,
    removed: 0,
    removedBytes: 0,
    kept: 0,
    keptBytes: 0,
    dryRun,
  };
  const del = db.prepare(`DELETE FROM artifacts WHERE sha256 = ?`);
  const delRefs = db.prepare(`DELETE FROM artifact_refs WHERE sha256 = ?`);
  const base = join(root, 'sha256');
  for (const fan of safeList(base)) {
    for (const rest of safeList(join(base, fan))) {
      const file = join(base, fan, rest);
      const sha = fan + rest;
      let st;
      try {
        st = statSync(file);
      } catch {
        // Removed by someone else between listing and stat: nothing to do.
        continue;
      }
      report.scanned++;
      if (referenced.has(sha) || now - st.mtimeMs < minAge) {
        report.kept++;
        report.keptBytes += st.size;
        continue;
      }
      report.removed++;
      report.removedBytes += st.size;
      if (!dryRun) {
        rmSync(file, { force: true });
        del.run(sha);
        delRefs.run(sha);
      }
    }
  }
  // Temp files older than the grace period belong to writes that crashed.
  const tmp = artifactTmpDir(root);
  for (const f of safeList(tmp)) {
    const file = join(tmp, f);
    try {
      if (now - statSync(file).mtimeMs >= minAge && !dryRun) rmSync(file, { force: true });
    } catch {
      // Gone already: fine.
    }
  }
  return report;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    // A store that was never written to has no directories yet.
    return [];
  }
}
