import type { StageContext, StageHandler, StageItem } from '../handler/types.ts';
import { coerceError, type RunFailure } from './coerceError.ts';

export type Execution =
  | {
      ok: true;
      output: Record<string, unknown>;
      priority?: number;
      costUsd?: number;
      artifacts?: Record<string, unknown>;
    }
  | { ok: false; failure: RunFailure };

/** Why the run's AbortSignal fired; the reason object tells timeout, cancel and shutdown apart. */
export class AbortReason extends Error {
  constructor(
    readonly kind: 'timeout' | 'cancelled' | 'shutdown',
    message: string,
  ) {
    super(message);
    this.name = kind === 'timeout' ? 'TimeoutError' : 'AbortError';
  }
}

/**
 * Runs one handler under its timeout and abort signal and validates what it returned.
 * The run is raced against the signal: a handler that ignores its signal cannot hold a
 * slot past its timeout (its late result is discarded).
 */
export async function executeHandler(
  handler: StageHandler,
  item: StageItem,
  ctx: StageContext,
  controller: AbortController,
  timeoutMs: number,
  allowEmpty = handler.allowEmpty === true,
): Promise<Execution> {
  const timer = setTimeout(
    () => controller.abort(new AbortReason('timeout', `stage timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason);
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  // The race's losing side must never become an unhandled rejection.
  aborted.catch(() => undefined);
  try {
    const value = await Promise.race([
      Promise.resolve().then(() => handler.run(item, ctx)),
      aborted,
    ]);
    return validateOutput(value, allowEmpty);
  } catch (err) {
    // Every throw ends here: the signal's reason (timeout/cancel/shutdown) wins over whatever
    // the handler threw in response to the abort.
    const reason = controller.signal.aborted ? controller.signal.reason : undefined;
    if (reason instanceof AbortReason)
      return { ok: false, failure: coerceError(reason, reason.kind) };
    return { ok: false, failure: coerceError(err) };
  } finally {
    clearTimeout(timer);
    if (onAbort) controller.signal.removeEventListener('abort', onAbort);
  }
}

function validateOutput(value: unknown, allowEmpty: boolean): Execution {
  if (value === undefined || value === null) {
    if (allowEmpty) return { ok: true, output: {} };
    return fail(
      'empty_result',
      'EmptyResult',
      'handler returned nothing; an empty result is an error unless the stage sets allow_empty',
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return fail(
      'bad_result',
      'BadResult',
      `handler must return a plain object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  const { _priority, _cost, _artifacts, ...output } = value as Record<string, unknown>;
  if (Object.keys(output).length === 0 && !allowEmpty) {
    return fail(
      'empty_result',
      'EmptyResult',
      'handler returned an empty object; an empty result is an error unless the stage sets allow_empty',
    );
  }
  if (_priority !== undefined && (typeof _priority !== 'number' || !Number.isFinite(_priority))) {
    return fail(
      'bad_result',
      'BadResult',
      `_priority must be a finite number, got ${JSON.stringify(_priority)}`,
    );
  }
  if (_cost !== undefined && (typeof _cost !== 'number' || !(_cost >= 0))) {
    return fail(
      'bad_result',
      'BadResult',
      `_cost must be a non-negative number of USD, got ${JSON.stringify(_cost)}`,
    );
  }
  try {
    JSON.stringify(output);
  } catch (e) {
    return fail(
      'bad_result',
      'BadResult',
      `handler result is not JSON-serialisable: ${(e as Error).message}`,
    );
  }
  return {
    ok: true,
    output,
    ...(_priority !== undefined ? { priority: _priority } : {}),
    ...(_cost !== undefined ? { costUsd: _cost } : {}),
    ...(_artifacts && typeof _artifacts === 'object'
      ? { artifacts: _artifacts as Record<string, unknown> }
      : {}),
  };
}

function fail(cause: RunFailure['cause'], name: string, message: string): Execution {
  return { ok: false, failure: { cause, name, message, error: undefined } };
}
