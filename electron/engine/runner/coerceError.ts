import { signalOf, type SignalKind } from '../handler/signals.ts';

/**
 * Whatever a run threw or how it ended, as one shape (STYLE.md §5): a throw of a non-Error,
 * a timeout, a cancel, a worker-thread crash and a shutdown abort all pass through here, so
 * the classifier sees one kind of thing.
 */
export interface RunFailure {
  /** How the run ended from the scheduler's point of view. */
  cause: 'threw' | 'timeout' | 'cancelled' | 'shutdown' | 'empty_result' | 'bad_result';
  signal?: SignalKind;
  name: string;
  message: string;
  code?: string;
  status?: number;
  /** RetryLater's explicit delay, or an HTTP Retry-After the error carried. */
  retryAfterMs?: number;
  stack?: string;
  /** The original thrown value, for classifiers that look deeper. */
  error: unknown;
}

export function coerceError(err: unknown, cause: RunFailure['cause'] = 'threw'): RunFailure {
  if (err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err)) {
    const e = err as Error & {
      code?: unknown;
      status?: unknown;
      statusCode?: unknown;
      afterMs?: unknown;
    };
    const signal = signalOf(err);
    const status =
      typeof e.status === 'number'
        ? e.status
        : typeof e.statusCode === 'number'
          ? e.statusCode
          : undefined;
    return {
      cause,
      ...(signal ? { signal } : {}),
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: String(e.message),
      ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: String(e.code) } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(signal === 'retry_later' && typeof e.afterMs === 'number'
        ? { retryAfterMs: e.afterMs }
        : {}),
      ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
      error: err,
    };
  }
  return {
    cause,
    name: 'NonError',
    message: `handler threw a non-Error value: ${safeString(err)}`,
    error: err,
  };
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  } catch {
    // A value that cannot be serialised (cycles, BigInt) is still reported, just less precisely.
    return String(v);
  }
}
