import type { LoadedConfig } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import type { EventBus } from '../events/EventBus.ts';
import { silentLogger, type Logger } from '../log/logger.ts';
import type { RunFailure } from '../runner/coerceError.ts';
import type { ClassifyContext, ErrorClassifier, Verdict } from '../runner/ErrorClassifier.ts';
import { Breakers } from './Breakers.ts';
import { resolveBreakers, type BreakerClass, type BreakersConfig } from './breakerConfig.ts';
import { LlmClassifier, type DoctorLlmOptions } from './LlmClassifier.ts';
import { insertDecisionSql } from './queries/insertDecision.ts';
import { redact } from './redact.ts';
import { applyRules } from './rules/index.ts';
import { DEFAULT_TEMPORAL_WAIT_MS } from './rules/temporal.ts';
import { SignatureCache } from './SignatureCache.ts';
import { signalDiagnosis } from './signalDiagnosis.ts';
import { signatureOf } from './signature.ts';
import { toRecord } from './toRecord.ts';
import { ACTION_OF, type Diagnosis, type ErrorRecord } from './types.ts';

export interface DoctorOptions {
  db?: Db;
  bus?: EventBus;
  config?: LoadedConfig;
  /** The LLM classifier; omitted or null: rules, cache and fallback only. */
  llm?: DoctorLlmOptions | null;
  log?: Logger;
  now?: () => number;
}

/** Below this an LLM answer is too unsure to act on; the fallback is safer. */
const MIN_LLM_CONFIDENCE = 0.5;

/** The stage name discovery errors are classified under. */
export const DISCOVERY_STAGE = '_discovery';

/**
 * Decides what an error means and what to do about it (DESIGN.md §4). Order: explicit
 * signals → deterministic rules → signature cache → LLM (if configured, budgeted) →
 * conservative fallback (transient: retry with backoff, counted by the breaker). Then the
 * per-class breakers decide whether the job pauses; temporal errors always pause until
 * their resume time. Every decision is stored in doctor_decisions.
 *
 * One instance serves a host: stage failures through `classify` (the engine's
 * ErrorClassifier), discovery errors through `classify` with stage `_discovery`, and
 * `jobctl doctor classify` through `diagnose`.
 */
export class Doctor implements ErrorClassifier {
  readonly breakers = new Breakers();
  readonly cache = new SignatureCache();
  readonly llm: LlmClassifier | undefined;
  private db: Db | undefined;
  private config: LoadedConfig | undefined;
  private readonly log: Logger;
  private readonly now: () => number;
  private unsubscribe: (() => void) | undefined;

  constructor(options: DoctorOptions = {}) {
    this.log = options.log ?? silentLogger();
    this.now = options.now ?? Date.now;
    this.llm = options.llm ? new LlmClassifier(options.llm, this.log) : undefined;
    this.attach(options);
  }

  /**
   * Connects the doctor to a database (cache, decisions, streaks, LLM spend), a config
   * (per-job breaker thresholds) and an event bus (a success ends a job's streaks).
   * Tests call it after startTestEngine, which opens the database itself.
   */
  attach(parts: {
    db?: Db | undefined;
    bus?: EventBus | undefined;
    config?: LoadedConfig | undefined;
  }): this {
    if (parts.db) {
      this.db = parts.db;
      this.breakers.useDb(parts.db);
      this.cache.useDb(parts.db);
      this.llm?.useDb(parts.db);
    }
    if (parts.config) this.config = parts.config;
    if (parts.bus) {
      this.unsubscribe?.();
      this.unsubscribe = parts.bus.on((e) => {
        if (e.type === 'progress' && (e.stages.done ?? 0) > 0) this.onSuccess(e.jobId);
      });
    }
    return this;
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The engine's hook: a stage run (or a discovery round) failed. */
  async classify(
    failure: RunFailure,
    ctx: ClassifyContext & { itemId?: number },
  ): Promise<Verdict> {
    const now = this.now();
    const record = toRecord(failure, ctx.stage);
    const signature = signatureOf(record);
    const signal = signalDiagnosis(failure, signature);
    const d = signal?.d ?? (await this.diagnose(record, { jobId: ctx.jobId }));
    const counts = signal ? signal.counts : true;
    const verdict = this.decide(d, record, ctx, counts, now);
    this.store(d, verdict, record, ctx, now);
    return verdict;
  }

  /** Rules → cache → LLM → fallback, with no side effect on breakers or decisions. */
  async diagnose(
    record: ErrorRecord,
    opts: { jobId?: string; useLlm?: boolean } = {},
  ): Promise<Diagnosis> {
    const now = this.now();
    const signature = signatureOf(record);
    const hit = applyRules(record, now);
    if (hit) {
      return {
        class: hit.class,
        action: ACTION_OF[hit.class],
        source: 'rule',
        signature,
        confidence: hit.confidence,
        explanation: hit.rule,
        ...(hit.retryAfterMs !== undefined ? { retryAfterMs: hit.retryAfterMs } : {}),
        ...(hit.resumeAt !== undefined ? { resumeAt: hit.resumeAt } : {}),
      };
    }
    const cached = this.cache.get(signature);
    if (cached) {
      return {
        class: cached.class,
        action: ACTION_OF[cached.class],
        source: 'cache',
        signature,
        confidence: cached.confidence,
        explanation: cached.explanation ?? `cached ${cached.source} verdict`,
        ...(cached.class === 'temporal' ? { resumeAt: now + DEFAULT_TEMPORAL_WAIT_MS } : {}),
      };
    }
    if (this.llm && opts.useLlm !== false) {
      const a = await this.llm.classify(record, signature, opts.jobId, now);
      if (a) {
        // Cached even when unsure: the point is never to pay for the same question twice.
        this.cache.set(
          signature,
          {
            class: a.class,
            action: a.action,
            confidence: a.confidence,
            source: 'llm',
            explanation: a.explanation,
          },
          now,
        );
        if (a.confidence >= MIN_LLM_CONFIDENCE) {
          const resume = a.resume_after ? Date.parse(a.resume_after) : NaN;
          return {
            class: a.class,
            action: ACTION_OF[a.class],
            source: 'llm',
            signature,
            confidence: a.confidence,
            explanation: a.explanation,
            ...(a.class === 'temporal'
              ? {
                  resumeAt:
                    Number.isFinite(resume) && resume > now
                      ? resume
                      : now + DEFAULT_TEMPORAL_WAIT_MS,
                }
              : {}),
          };
        }
      }
    }
    return {
      class: 'transient',
      action: 'retry',
      source: 'fallback',
      signature,
      confidence: 0.3,
      explanation: 'no rule matched; retrying with backoff',
    };
  }

  /** `jobctl clear-errors`: ends every streak of the job. */
  clearErrors(jobId: string): number {
    return this.breakers.clear(jobId);
  }

  private onSuccess(jobId: string): void {
    try {
      this.breakers.success(jobId);
    } catch (err) {
      // A locked database delays the reset to the next success; the streak only grows by the errors in between.
      this.log.warn({ err, jobId }, 'doctor: resetting breakers failed');
    }
  }

  private thresholds(jobId: string) {
    const job = this.config?.jobs.find((j) => j.id === jobId) as
      { breakers?: BreakersConfig } | undefined;
    return resolveBreakers(job?.breakers);
  }

  private decide(
    d: Diagnosis,
    record: ErrorRecord,
    ctx: ClassifyContext,
    counts: boolean,
    now: number,
  ): Verdict {
    const v: Verdict = {
      class: d.class,
      source: d.source,
      signature: d.signature,
      confidence: d.confidence,
      action: d.action,
      explanation: d.explanation,
      ...(d.retryAfterMs !== undefined ? { retryAfterMs: d.retryAfterMs } : {}),
    };
    const what = `${ctx.stage}: ${redact(`${record.name && record.name !== 'Error' ? `${record.name}: ` : ''}${record.message}`).slice(0, 200)}`;
    if (d.class === 'temporal') {
      const until = d.resumeAt ?? now + DEFAULT_TEMPORAL_WAIT_MS;
      v.resumeAt = until;
      v.action = 'pause_until';
      v.pauseJob = {
        reason: `doctor (temporal): ${what} — resumes by itself at ${new Date(until).toISOString()}`,
        untilMs: until,
      };
      return v;
    }
    if (!counts || !isBreakerClass(d.class)) {
      if (d.class === 'systemic' || d.class === 'code_bug') v.action = 'retry';
      return v;
    }
    const threshold = this.thresholds(ctx.jobId)[d.class];
    const { count, tripped } = this.breakers.record(ctx.jobId, d.class, threshold, now);
    if (!tripped || !threshold) {
      if (d.class === 'systemic' || d.class === 'code_bug') v.action = 'retry';
      return v;
    }
    const until = threshold.pauseMs !== undefined ? now + threshold.pauseMs : undefined;
    const streak = `${count} ${d.class} error${count === 1 ? '' : 's'} in a row${threshold.withinMs ? ` within ${Math.round(threshold.withinMs / 1000)}s` : ''}`;
    v.action = 'pause_job';
    v.pauseJob = {
      reason: `doctor (${d.class}): ${what} — ${streak}. ${resumeHint(d.class, ctx.jobId, until)}`,
      ...(until !== undefined ? { untilMs: until } : {}),
    };
    return v;
  }

  private store(
    d: Diagnosis,
    v: Verdict,
    record: ErrorRecord,
    ctx: ClassifyContext & { itemId?: number },
    now: number,
  ): void {
    if (!this.db) return;
    try {
      this.db.prepare(insertDecisionSql).run({
        ts: now,
        jobId: ctx.jobId,
        itemId: ctx.itemId ?? null,
        stage: ctx.stage,
        attempt: ctx.attempt,
        signature: d.signature,
        class: d.class,
        action: v.action ?? d.action,
        source: d.source,
        confidence: d.confidence,
        rule: d.explanation.slice(0, 300),
        message: redact(
          `${record.name && record.name !== 'Error' ? `${record.name}: ` : ''}${record.message}`,
        ).slice(0, 1000),
        paused: v.pauseJob ? 1 : 0,
      });
    } catch (err) {
      // The verdict still stands; only its record is lost (the stage row keeps the error text).
      this.log.warn({ err }, 'doctor: storing a decision failed');
    }
  }
}

function isBreakerClass(c: Diagnosis['class']): c is BreakerClass {
  return (
    c === 'transient' ||
    c === 'rate_limited' ||
    c === 'item_specific' ||
    c === 'systemic' ||
    c === 'code_bug'
  );
}

/** What will resume the job, said in the pause reason itself. */
function resumeHint(cls: BreakerClass, jobId: string, until: number | undefined): string {
  if (until !== undefined) return `Resumes by itself at ${new Date(until).toISOString()}.`;
  if (cls === 'code_bug') return `Fix the handler, then \`jobctl retry ${jobId} --unpause\`.`;
  return `Fix the cause (login, API key, disk, service), then \`jobctl unpause ${jobId}\`.`;
}
