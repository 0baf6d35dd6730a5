import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Db } from '../db/openDatabase.ts';
import { WorkerPool } from '../pool/WorkerPool.ts';
import { artifactPath } from './artifactPath.ts';
import { writeArtifact } from './writeAtomic.ts';

/** How a result refers to stored content (kept in `results.artifacts` and in outputs). */
export interface ArtifactRef {
  sha256: string;
  size: number;
  content_type?: string;
}

/**
 * Below this, hashing on the engine thread (~2 µs per KB) is cheaper than a pool round trip
 * (~30 µs plus scheduling); above it, the pool keeps the event loop free.
 */
const POOL_THRESHOLD = 256 * 1024;

/**
 * Content-addressed raw data (HTML, JSON, VTT, audio) under `<dataDir>/artifacts`.
 * Identical content is stored once; results reference it by sha256, and a later stage (or a
 * reprocess) reads it back instead of fetching again.
 */
export class ArtifactStore {
  private readonly s;

  constructor(
    readonly root: string,
    private readonly db: Db,
    private readonly pool: () => WorkerPool,
  ) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO artifacts (sha256, size, content_type, created_at) VALUES (@sha256, @size, @contentType, @now)
         ON CONFLICT (sha256) DO NOTHING`,
      ),
      ref: db.prepare(
        `INSERT INTO artifact_refs (sha256, item_id, job_id, stage, created_at) VALUES (@sha256, @itemId, @jobId, @stage, @now)
         ON CONFLICT (sha256, item_id, stage) DO NOTHING`,
      ),
      // Another item whose stored result still references the same content.
      others: db.prepare(
        `SELECT DISTINCT a.item_id AS itemId FROM artifact_refs a
          WHERE a.sha256 = @sha256 AND a.job_id = @jobId AND a.item_id <> @itemId
            AND EXISTS (SELECT 1 FROM results r WHERE r.item_id = a.item_id AND r.stage = a.stage)
          ORDER BY a.item_id LIMIT 10`,
      ),
    };
  }

  pathOf(sha256: string): string {
    return artifactPath(this.root, sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /**
   * Stores bytes (or UTF-8 text) and returns the reference. A large Buffer that owns its
   * ArrayBuffer is MOVED to a worker, which hashes and writes it: the caller must not use it
   * afterwards (it will be empty).
   */
  async put(data: Uint8Array | string, contentType?: string): Promise<ArtifactRef> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let sha256: string;
    const size = bytes.byteLength;
    if (size < POOL_THRESHOLD) {
      sha256 = createHash('sha256').update(bytes).digest('hex');
      await writeArtifact(this.root, sha256, bytes);
    } else {
      const { view, transfer } = WorkerPool.transferable(bytes);
      ({ sha256 } = await this.pool().run<{ sha256: string }>(
        'store',
        { bytes: view, root: this.root },
        { transfer },
      ));
    }
    this.s.insert.run({ sha256, size, contentType: contentType ?? null, now: Date.now() });
    return { sha256, size, ...(contentType ? { content_type: contentType } : {}) };
  }

  async get(sha256: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw Object.assign(
          new Error(
            `artifact ${sha256.slice(0, 12)}… is not in the store (removed by gc?); reprocess the stage that produced it`,
          ),
          { code: 'artifact_missing' },
        );
      throw err;
    }
  }

  async getText(sha256: string): Promise<string> {
    return (await this.get(sha256)).toString('utf8');
  }

  /** Notes that an item's stage produced this content (for duplicate detection). */
  recordRef(sha256: string, ref: { itemId: number; jobId: string; stage: string }): void {
    this.s.ref.run({ sha256, ...ref, now: Date.now() });
  }

  /** Other items of the same job whose stored results reference this exact content. */
  otherItemsWith(sha256: string, ref: { itemId: number; jobId: string }): number[] {
    return (this.s.others.all({ sha256, ...ref }) as { itemId: number }[]).map((r) => r.itemId);
  }
}
