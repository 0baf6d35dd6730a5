import type { ErrorClass } from '../runner/ErrorClassifier.ts';

/**
 * One error as the doctor sees it: what a handler threw, flattened to the fields rules can
 * match on. `jobctl doctor classify` reads exactly this shape as JSON lines, so a corpus of
 * real errors can be checked without running a job.
 */
export interface ErrorRecord {
  message: string;
  /** Error class name (`TypeError`, `RateLimitError`, `SqliteError`). */
  name?: string;
  /** Node errno / library code (`ECONNRESET`, `UND_ERR_SOCKET`, `SQLITE_BUSY`). */
  code?: string;
  /** HTTP status, when the error came from a response. */
  status?: number;
  /** Response body (HTML, JSON text), trimmed. */
  body?: string;
  /** A child process's stderr (yt-dlp, ffmpeg). */
  stderr?: string;
  /** The stage it happened in; `_discovery` for discovery rounds. */
  stage?: string;
  /** Lower-cased response headers (Retry-After lives here). */
  headers?: Record<string, string>;
  /** `err.cause` of a wrapped error (undici's "fetch failed" hides the real code here). */
  causeCode?: string;
  causeMessage?: string;
  /** Provider error code inside an API error body (`insufficient_quota`). */
  apiCode?: string;
  /** The site the failing request went to (`err.host`, or the host of `err.url`), if known. */
  site?: string;
}

/**
 * What the doctor asks the engine's network monitor (engine/network/NetworkMonitor.ts) about
 * a network error: is this machine offline? It probes when unsure.
 */
export interface NetworkJudge {
  isOffline(where: { key: string; host?: string | undefined }): Promise<boolean>;
  /** How long an offline failure waits before it is tried again. */
  readonly waitMs: number;
  /** An outage is under way (stages that need the network are held). */
  readonly down: boolean;
}

/** What the stage run should do about it. */
export type DoctorAction = 'retry' | 'fail_item' | 'skip' | 'pause_job' | 'pause_until';

/** Where a decision came from, in the order they are tried. */
export type DoctorSource =
  'signal' | 'correction' | 'rule' | 'cache' | 'model' | 'llm' | 'fallback';

/** The doctor's reading of one error, before breakers decide whether the job pauses. */
export interface Diagnosis {
  class: ErrorClass | 'skip' | 'cancelled' | 'shutdown';
  action: DoctorAction;
  source: DoctorSource;
  signature: string;
  confidence: number;
  /** Which rule matched (`http.status`, `errno.ECONNRESET`), or the LLM's one-liner. */
  explanation: string;
  /** Wait this long before retrying (Retry-After, "try again in 20s"). */
  retryAfterMs?: number;
  /** Temporal errors: when the job may resume (epoch ms). */
  resumeAt?: number;
  tag?: RuleTag;
  /** Temporal errors: only this item waits (`item`), or the job pauses (`job`, default). */
  scope?: 'item' | 'job';
}

/**
 * What a verdict means for the engine beyond its class:
 * - `network`: the machine may be offline (DNS, refused or unreachable connections); the
 *   engine checks before blaming the item.
 * - `block`: a site refuses us (challenge page, bot check, login wall); counted per site.
 * - `billing`: the account is out of credit or quota; one is enough to pause the job.
 */
export type RuleTag = 'network' | 'block' | 'billing';

/** A deterministic rule's verdict; the doctor adds signature and action. */
export interface RuleHit {
  class: ErrorClass;
  rule: string;
  confidence: number;
  retryAfterMs?: number;
  resumeAt?: number;
  tag?: RuleTag;
  /**
   * Temporal errors: `item` when only this item is not ready yet (a premiere, an unreleased
   * episode) — it waits, the job runs on; `job` (default) when the source is closed.
   */
  scope?: 'item' | 'job';
  /** The text that decided it, quoted in the verdict's explanation. */
  evidence?: string;
}

/** A rule family: returns a hit or nothing. `now` makes temporal rules testable. */
export type Rule = (
  r: ErrorRecord,
  text: string,
  now: number,
) => RuleHit | readonly RuleHit[] | undefined;

export const ACTION_OF: Record<Diagnosis['class'], DoctorAction> = {
  transient: 'retry',
  rate_limited: 'retry',
  item_specific: 'fail_item',
  temporal: 'pause_until',
  systemic: 'pause_job',
  code_bug: 'pause_job',
  skip: 'skip',
  cancelled: 'fail_item',
  shutdown: 'retry',
};
