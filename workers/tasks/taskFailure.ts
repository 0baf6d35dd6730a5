import { SIGNAL, signalOf, type SignalKind } from '../../electron/engine/handler/signals.ts';

/**
 * Errors across the worker-thread boundary. Piscina posts a thrown error with the structured
 * clone algorithm, which keeps only `message`, `stack` and the built-in names (`TypeError`,
 * `RangeError`, …): a `FailItem` arrives as a plain `Error`, an ENOENT loses its `code`.
 * So a task never throws across the boundary: `runTask` turns its error into a
 * `TaskFailure` envelope (a plain object, cloned intact) and `WorkerPool.run` revives it with
 * its name, code and signal on the engine's side.
 */

/**
 * The item's input cannot be processed (not HTML, binary, no cues, a parser gave up on it).
 * Carries the FailItem brand: the doctor calls it item_specific, the job runs on. Messages
 * start with the stage kind and say what to do (`extract: text/markdown is not HTML; …`).
 */
export class BadInput extends Error {
  override readonly name = 'BadInput';
  readonly [SIGNAL] = 'fail_item' as const;
  readonly code = 'bad_input';
  readonly errorClass = 'item_specific';
}

/** What survives of an error: enough for coerceError and the doctor's rules. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  signal?: SignalKind;
  stack?: string;
}

export const TASK_FAILURE = '__tributaryTaskFailure';
export interface TaskFailure {
  [TASK_FAILURE]: SerializedError;
}

export function isTaskFailure(v: unknown): v is TaskFailure {
  return typeof v === 'object' && v !== null && TASK_FAILURE in v;
}

export function serializeError(err: unknown): SerializedError {
  if (typeof err !== 'object' || err === null)
    return { name: 'Error', message: `a worker task threw a non-Error value: ${String(err)}` };
  const e = err as { name?: unknown; message?: unknown; code?: unknown; status?: unknown };
  const signal = signalOf(err);
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: String(e.code) } : {}),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(signal ? { signal } : {}),
    ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
  };
}

/** An error revived on the engine's side: the worker's name, code and signal brand. */
export class WorkerTaskError extends Error {
  readonly code: string | undefined;
  readonly status: number | undefined;
  constructor(
    readonly task: string,
    s: SerializedError,
  ) {
    super(s.message);
    this.name = s.name;
    this.code = s.code;
    this.status = s.status;
    if (s.signal) Object.defineProperty(this, SIGNAL, { value: s.signal, enumerable: false });
    if (s.stack) this.stack = s.stack;
  }
}

/** Runs a task body in the worker and returns its result, or its error as an envelope. */
export async function runTask<T>(body: () => T | Promise<T>): Promise<T | TaskFailure> {
  try {
    return await body();
  } catch (err) {
    return { [TASK_FAILURE]: serializeError(err) };
  }
}

/**
 * Calls a parser over the item's document. Whatever it throws — a TypeError from a DOM library
 * choking on odd input included — is the input's fault, not a bug to pause the job for: it
 * becomes `BadInput`, with `what` (e.g. `extract: could not parse the HTML`) in front.
 */
export function parseInput<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (signalOf(err)) throw err;
    const e = err as { name?: unknown; message?: unknown };
    throw new BadInput(
      `${what} (${typeof e.name === 'string' ? e.name : 'Error'}: ${typeof e.message === 'string' ? e.message : String(err)})`,
    );
  }
}
