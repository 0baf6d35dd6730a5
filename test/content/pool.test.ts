import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerCrashed, WorkerPool } from '../../electron/engine/pool/WorkerPool.ts';

const CRASH = resolve(import.meta.dirname, 'fixtures/crashWorker.mjs');
let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  pool = undefined;
});

describe('the worker pool', () => {
  it('turns process.exit inside a worker into that task’s error and keeps serving', async () => {
    pool = new WorkerPool({ filename: CRASH, maxThreads: 2 });
    await expect(pool.run('exit', 7)).rejects.toBeInstanceOf(WorkerCrashed);
    await expect(pool.run('exit', 7)).rejects.toMatchObject({ code: 'worker_crashed' });
    expect(await pool.run('echo', 'still alive')).toBe('still alive');
  });

  it('passes a thrown error through with its message', async () => {
    pool = new WorkerPool({ filename: CRASH, maxThreads: 1 });
    await expect(pool.run('boom', 'bad input')).rejects.toThrow('bad input');
  });

  it('moves a buffer to the worker instead of copying it', async () => {
    pool = new WorkerPool({ maxThreads: 1 });
    const bytes = Buffer.alloc(1024 * 1024, 7);
    const expected = createHash('sha256').update(bytes).digest('hex');
    const { view, transfer } = WorkerPool.transferable(bytes);
    expect(view).toBe(bytes); // whole-buffer views are moved as they are
    const r = await pool.run<{ sha256: string; size: number }>(
      'hash',
      { bytes: view },
      { transfer },
    );
    expect(r).toEqual({ sha256: expected, size: 1024 * 1024 });
    expect(bytes.byteLength).toBe(0); // detached: the bytes now belong to the worker
  });

  it('copies a small buffer that shares Node’s slab rather than detaching the slab', () => {
    const small = Buffer.from('tiny');
    const { view } = WorkerPool.transferable(small);
    expect(view).not.toBe(small);
    expect(Buffer.from(view).toString()).toBe('tiny');
  });
});
