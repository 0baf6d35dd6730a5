import type { Logger } from '../log/logger.ts';

/** The discovered item as a stage sees it. */
export interface StageItem<D = Record<string, unknown>> {
  id: number;
  key: string;
  data: D;
  priority: number;
  /** 1 on the first run; counts every claim, including runs lost to a crash. */
  attempt: number;
}

export interface StageContext {
  job: { id: string; title: string };
  stage: { name: string; version: string; params: Record<string, unknown> };
  /** Fires on timeout, cancel, pause-with-abort and shutdown; pass it to fetch and children. */
  signal: AbortSignal;
  log: Logger;
  /** Outputs of this item's finished upstream stages, by stage name. */
  upstream: Record<string, Record<string, unknown>>;
  /** Adds spend (USD) for a paid call this run made; recorded with the stage's result. */
  cost(usd: number, details?: { model?: string; tokensIn?: number; tokensOut?: number }): void;
}

/**
 * What a stage returns: a plain JSON-serialisable object. `_priority` re-prioritises the item's
 * remaining stages; `_cost` adds spend; `_artifacts` references stored raw data.
 */
export type StageOutput = Record<string, unknown> & {
  _priority?: number;
  _cost?: number;
  _artifacts?: Record<string, unknown>;
};

export interface StageHandler<D = Record<string, unknown>> {
  /** Bump when the output's meaning changes: results of older versions become stale. */
  version: string | number;
  /** An empty result is an error unless the stage declares it may be empty. */
  allowEmpty?: boolean;
  run(item: StageItem<D>, ctx: StageContext): Promise<StageOutput | undefined | void>;
}

/** A handler module: stage name → handler. */
export type HandlerModule = Record<string, StageHandler>;

/** Identity helper that gives a handler module its types. */
export function defineHandlers<M extends HandlerModule>(stages: M): M {
  return stages;
}
