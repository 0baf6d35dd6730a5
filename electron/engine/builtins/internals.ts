import type { ArtifactStore } from '../artifacts/ArtifactStore.ts';
import type { Db } from '../db/openDatabase.ts';
import type { StageContext } from '../handler/types.ts';
import type { WorkerPool } from '../pool/WorkerPool.ts';

/**
 * What built-in handlers need beyond the public StageContext: the worker pool, the store
 * and the database (audit and check rows). It rides on the context under a symbol, so user
 * handlers see a small, stable ctx while built-ins get the engine's services.
 */
export const CONTENT_INTERNALS = Symbol.for('tributary.contentInternals');

export interface ContentInternals {
  db: Db;
  store: ArtifactStore;
  pool(): WorkerPool;
  jobId: string;
  stage: string;
  itemId: number;
}

export function internalsOf(ctx: StageContext): ContentInternals {
  const i = (ctx as unknown as Record<symbol, ContentInternals | undefined>)[CONTENT_INTERNALS];
  if (!i)
    throw new Error(
      'built-in content stages need the engine’s content services (run them through the Engine)',
    );
  return i;
}
