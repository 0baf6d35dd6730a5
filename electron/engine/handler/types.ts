import type { ArtifactsApi, HttpApi, LlmApi } from '../builtins/contentApis.ts';
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
  /**
   * Adds spend (USD) for a paid call this run made; recorded with the stage's result.
   * `null` means the price is unknown (recorded as such, never as zero).
   */
  cost(
    usd: number | null,
    details?: { model?: string; tokensIn?: number; tokensOut?: number },
  ): void;
  /** Content-addressed raw data: store bodies, read upstream artifacts (see README, "Content stages"). */
  artifacts: ArtifactsApi;
  /** A configured LLM provider; usage becomes this run's cost. */
  llm: LlmApi;
  /** HTTP GET with the fetch built-in's limits and block-page detection. */
  http: HttpApi;
  /** This stage's stored output for this item from an earlier run (conditional requests, reprocess). */
  previous(): Record<string, unknown> | undefined;
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
  /**
   * What besides code shapes the output (a prompt, a model, a schema): the engine appends a
   * hash of it to the version (`1+fp:ab12cd34`), so editing a prompt in jobs.yaml makes the
   * stage's results stale while reformatting code never does.
   */
  fingerprint?(params: Record<string, unknown>): string | undefined;
  /**
   * The schema of the stage's `params` (a zod object, or anything with `safeParse`): checked
   * when jobs.yaml loads, so a typo is a config error at its line, not N failed items.
   */
  params?: ParamsSchema;
  run(item: StageItem<D>, ctx: StageContext): Promise<StageOutput | undefined | void>;
}

/** What the loader needs of a params schema (zod's `safeParse`). */
export interface ParamsSchema {
  safeParse(value: unknown):
    | { success: true }
    | {
        success: false;
        error: {
          issues: readonly {
            code: string;
            path: readonly PropertyKey[];
            message: string;
            keys?: readonly string[];
          }[];
        };
      };
  shape?: Record<string, unknown>;
}

/** A handler module: stage name → handler. */
export type HandlerModule = Record<string, StageHandler>;

/** Identity helper that gives a handler module its types. */
export function defineHandlers<M extends HandlerModule>(stages: M): M {
  return stages;
}
