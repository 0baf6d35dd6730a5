import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestEngine } from '../../helpers/testEngine.ts';

export interface StageRow {
  status: string;
  error: string | null;
  errorClass: string | null;
  readyAt: number;
}

/** One item's stage row, by item key. */
export function stageRow(te: TestEngine, key: string, stage: string): StageRow {
  return te.db
    .prepare(
      `SELECT s.status, s.error, s.error_class AS errorClass, s.ready_at AS readyAt FROM item_stages s
         JOIN items i ON i.id = s.item_id WHERE i.item_key = ? AND s.stage = ?`,
    )
    .get(key, stage) as StageRow;
}

/** One item's stored result of a stage (`{}` when there is none). */
export function output(te: TestEngine, key: string, stage: string): Record<string, unknown> {
  const r = te.db
    .prepare(
      `SELECT r.output FROM results r JOIN items i ON i.id = r.item_id WHERE i.item_key = ? AND r.stage = ?`,
    )
    .get(key, stage) as { output: string } | undefined;
  return r ? (JSON.parse(r.output) as Record<string, unknown>) : {};
}

/** How many artifact files the engine's store holds. */
export function storedFiles(te: TestEngine): number {
  const root = join(te.dir, 'data', 'artifacts', 'sha256');
  try {
    return readdirSync(root).reduce((n, d) => n + readdirSync(join(root, d)).length, 0);
  } catch {
    // Nothing stored yet.
    return 0;
  }
}
