import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { openDatabase, type Db } from '../../electron/engine/db/openDatabase.ts';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import { Engine, type EngineOptions } from '../../electron/engine/runner/Engine.ts';

export const SCRIPTED = resolve(import.meta.dirname, '../fixtures/handlers/scripted.ts');

export function tempDir(prefix = 'tributary-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestEngine {
  engine: Engine;
  db: Db;
  api: EngineApi;
  dir: string;
  close: () => Promise<void>;
}

/** A real engine over a real SQLite file in a temp dir, with the given jobs.yaml text. */
export async function startTestEngine(
  yamlText: string,
  options: Partial<EngineOptions> = {},
): Promise<TestEngine> {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'jobs.yaml');
  writeFileSync(file, yamlText);
  const config = parseConfigText(yamlText, file);
  const db = openDatabase(join(dir, 'tributary.db'));
  // No test reaches the internet: the network counts as up unless a test simulates an outage.
  const engine = await Engine.create({
    db,
    config,
    discovery: false,
    probe: () => Promise.resolve(true),
    // Rows seeded as crashed run at once unless a test asks for the warm-up.
    suspectGraceMs: 0,
    ...options,
  });
  engine.start();
  const api = new EngineApi(db, config, engine);
  let closed = false;
  return {
    engine,
    db,
    api,
    dir,
    close: async () => {
      if (closed) return;
      closed = true;
      await engine.stop(1000);
      db.close();
      cleanup();
    },
  };
}

/** Status counts of one job's stages: { stage: { status: n } }. */
export function counts(db: Db, jobId: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const r of db
    .prepare(
      `SELECT stage, status, count(*) AS n FROM item_stages WHERE job_id = ? GROUP BY stage, status`,
    )
    .all(jobId) as {
    stage: string;
    status: string;
    n: number;
  }[]) {
    (out[r.stage] ??= {})[r.status] = r.n;
  }
  return out;
}

export function scriptedJob(id: string, stages: string, extra = ''): string {
  return `jobs:
  - id: ${id}
    handler: ${SCRIPTED}
    stages:
${stages}
${extra}`;
}
