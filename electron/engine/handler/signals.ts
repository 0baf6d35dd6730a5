/**
 * Outcomes a handler signals on purpose. They are recognised by a brand, not `instanceof`:
 * user handlers are loaded from TypeScript at run time and may carry their own copy of this
 * module, so class identity is not reliable across that boundary.
 */
export const SIGNAL = Symbol.for('tributary.signal');

export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  readonly [SIGNAL] = 'retry_later' as const;
  /** @param afterMs how long to wait; the stage's backoff decides when omitted. */
  constructor(
    readonly reason: string,
    readonly afterMs?: number,
  ) {
    super(reason);
  }
}

export class SkipItem extends Error {
  override readonly name = 'SkipItem';
  readonly [SIGNAL] = 'skip_item' as const;
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** This item is bad and retrying will not help (a 404, unparseable data). */
export class FailItem extends Error {
  override readonly name = 'FailItem';
  readonly [SIGNAL] = 'fail_item' as const;
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type SignalKind = 'retry_later' | 'skip_item' | 'fail_item';

export function signalOf(err: unknown): SignalKind | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const s = (err as Record<symbol, unknown>)[SIGNAL];
  return s === 'retry_later' || s === 'skip_item' || s === 'fail_item' ? s : undefined;
}
