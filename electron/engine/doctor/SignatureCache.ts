import type { Db } from '../db/openDatabase.ts';
import type { ErrorClass } from '../runner/ErrorClassifier.ts';
import { bumpCacheHitSql, selectCachedSql, upsertCachedSql } from './queries/cache.ts';

export interface CachedVerdict {
  class: ErrorClass;
  action: string;
  confidence: number;
  source: string;
  explanation: string | null;
  /** When the LLM was last asked (unsure answers are re-asked once a day). */
  askedAt?: number | null;
}

/**
 * Verdicts by normalized signature (doctor_cache). Filled by the LLM classifier, read
 * before it: the same error is never sent twice, across runs and restarts. Without a
 * database it is a process-local map (the CLI's `doctor classify` without a data dir).
 */
export class SignatureCache {
  private readonly memory = new Map<string, CachedVerdict>();
  private db: Db | undefined;

  useDb(db: Db): void {
    this.db = db;
  }

  get(signature: string): CachedVerdict | undefined {
    if (!this.db) return this.memory.get(signature);
    const row = this.db.prepare(selectCachedSql).get({ signature }) as CachedVerdict | undefined;
    if (row) this.db.prepare(bumpCacheHitSql).run({ signature });
    return row;
  }

  set(signature: string, v: CachedVerdict, now = Date.now()): void {
    if (!this.db) {
      this.memory.set(signature, { ...v, askedAt: now });
      return;
    }
    this.db.prepare(upsertCachedSql).run({ signature, ...v, now });
  }
}
