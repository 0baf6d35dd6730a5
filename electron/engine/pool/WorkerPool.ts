import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import {
  isTaskFailure,
  TASK_FAILURE,
  WorkerTaskError,
} from '../../../workers/tasks/taskFailure.ts';
import { workerFile } from './workerFile.ts';

export interface WorkerPoolOptions {
  /** Compiled worker module; defaults to dist/workers/content.js. */
  filename?: string;
  /**
   * Default: the machine's parallelism. The engine thread mostly waits on I/O and SQLite
   * commits take microseconds, so every core can extract; fewer threads on 2 cores would
   * leave half the machine idle during an extraction burst.
   */
  maxThreads?: number;
  minThreads?: number;
  /** How long an idle thread lives. Piscina's default ends them at once, so each burst would pay thread start-up (~30 ms) again. */
  idleTimeoutMs?: number;
}

/** A worker thread died (process.exit, out of memory) while running this task. */
export class WorkerCrashed extends Error {
  override readonly name = 'WorkerCrashed';
  readonly code = 'worker_crashed';
  constructor(
    readonly task: string,
    message: string,
  ) {
    super(`worker thread crashed running \`${task}\`: ${message}`);
  }
}

/**
 * The engine's one pool of worker threads for CPU-bound content work. A crash inside a worker
 * rejects only that task's promise (Piscina replaces the thread), so it becomes that item's
 * error and never the host's. Tasks are ~20–50 µs of overhead each: give them real work.
 */
export class WorkerPool {
  private readonly piscina: Piscina;
  private destroyed = false;
  readonly maxThreads: number;

  constructor(options: WorkerPoolOptions = {}) {
    const cpus = availableParallelism();
    this.maxThreads = options.maxThreads ?? Math.max(1, cpus);
    this.piscina = new Piscina({
      filename: options.filename ?? workerFile('content'),
      minThreads: Math.min(options.minThreads ?? 1, this.maxThreads),
      maxThreads: this.maxThreads,
      idleTimeout: options.idleTimeoutMs ?? 30_000,
      // Unbounded queue (Piscina's default; 'auto' rejects past maxThreads²): the stages'
      // concurrency settings already bound how many tasks can wait.
      maxQueue: Infinity,
    });
  }

  /**
   * Runs the named export of the worker module. `transfer` lists ArrayBuffers to move (the
   * caller's views become empty); the task sees the same bytes without a copy. A task's error
   * comes back as an envelope (workers/tasks/taskFailure.ts) and is thrown here with its
   * name, code and signal: structured cloning would have kept only the message.
   */
  async run<T>(
    task: string,
    payload: unknown,
    opts: { transfer?: ArrayBuffer[]; signal?: AbortSignal } = {},
  ): Promise<T> {
    if (this.destroyed) throw new Error('worker pool is shut down');
    let result: unknown;
    try {
      result = await this.piscina.run(payload, {
        name: task,
        ...(opts.transfer ? { transferList: opts.transfer } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      const msg = (err as Error)?.message ?? String(err);
      // Piscina reports a dead thread as a plain Error; give it a name the doctor can match.
      if (/worker exited|terminated|worker.*exit/i.test(msg)) throw new WorkerCrashed(task, msg);
      throw err;
    }
    if (isTaskFailure(result)) throw new WorkerTaskError(task, result[TASK_FAILURE]);
    return result as T;
  }

  /**
   * A transferable view of `bytes`: its own ArrayBuffer when it owns one whole, otherwise a
   * copy. Small Buffers share Node's 8 KB slab, and moving that slab would corrupt unrelated
   * Buffers — so only whole-buffer views are ever moved.
   */
  static transferable(bytes: Uint8Array): { view: Uint8Array; transfer: ArrayBuffer[] } {
    const ab = bytes.buffer;
    if (ab instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === ab.byteLength)
      return { view: bytes, transfer: [ab] };
    const copy = new Uint8Array(bytes);
    return { view: copy, transfer: [copy.buffer as ArrayBuffer] };
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await this.piscina.destroy();
  }
}
