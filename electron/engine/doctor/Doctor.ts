import { LiveConfig } from '../config/LiveConfig.ts';
import type { LoadedConfig } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import type { EventBus } from '../events/EventBus.ts';
import { silentLogger, type Logger } from '../log/logger.ts';
import type { RunFailure } from '../runner/coerceError.ts';
import type {
  ClassifyContext,
  ErrorClass,
  ErrorClassifier,
  Verdict,
} from '../runner/ErrorClassifier.ts';
import { Breakers } from './Breakers.ts';
import { CorrectionStore, type Correction } from './CorrectionStore.ts';
import { resolveBreakers, type BreakerClass, type BreakersConfig } from './breakerConfig.ts';
import { LlmClassifier, type DoctorLlmOptions } from './LlmClassifier.ts';
import { insertDecisionSql } from './queries/insertDecision.ts';
import { redact } from './redact.ts';
import { applyRules, DEFAULT_TEMPORAL_WAIT_MS, textOf, withTiming } from './rules/index.ts';
import { shippedErrorModel, type ErrorModel } from './model/ErrorModel.ts';
import { SignatureCache } from './SignatureCache.ts';
import { signalDiagnosis } from './signalDiagnosis.ts';
import { signatureOf, tellingLine } from './signature.ts';
import { toRecord } from './toRecord.ts';
import { ACTION_OF, type Diagnosis, type ErrorRecord, type NetworkJudge } from './types.ts';

export interface DoctorOptions {
  db?: Db;
  bus?: EventBus;
  /** The host's live config (breaker thresholds follow a reload); a snapshot in tests. */
  config?: LoadedConfig | LiveConfig;
  /** The LLM classifier; omitted or null: rules, cache and fallback only. */
  llm?: DoctorLlmOptions | null;
  /** The offline error model asked after the rules (default: the shipped one; null: none). */
  model?: ErrorModel | null;
  log?: Logger;
  now?: () => number;
}

/** Below this an LLM answer is too unsure to act on; the fallback is safer. */
const MIN_LLM_CONFIDENCE = 0.5;

/** An unsure LLM answer is asked again after this long, not before. */
const REASK_UNSURE_MS = 24 * 3600_000;

/**
 * The error model answers only above this posterior. Trained on one corpus and tested on
 * another it was right about 70–80% of the time at this level, where the "transient"
 * fallback is right for about one in five of the errors no rule knows.
 */
const MIN_MODEL_CONFIDENCE = 0.8;

/** A systemic or code-bug verdict of the error model pauses only after this many in a row. */
const GUESS_STREAK = 3;

/** A rate limit that names no wait: hold the resource this long before trying again. */
const DEFAULT_THROTTLE_MS = 30_000;

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
  /** A person's verdicts by signature; they win over rules and the cache. */
  readonly corrections = new CorrectionStore();
  private llmClassifier: LlmClassifier | undefined;
  readonly model: ErrorModel | null;
  private db: Db | undefined;
  private configNow: () => LoadedConfig | undefined = () => undefined;
  private readonly log: Logger;
  private readonly now: () => number;
  private unsubscribe: (() => void) | undefined;
  private network: NetworkJudge | undefined;

  constructor(options: DoctorOptions = {}) {
    this.log = options.log ?? silentLogger();
    this.now = options.now ?? Date.now;
    this.useLlm(options.llm ?? null);
    this.model = options.model === undefined ? shippedErrorModel() : options.model;
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
    config?: LoadedConfig | LiveConfig | undefined;
  }): this {
    if (parts.db) {
      this.db = parts.db;
      this.breakers.useDb(parts.db);
      this.cache.useDb(parts.db);
      this.corrections.useDb(parts.db);
      this.llm?.useDb(parts.db);
    }
    const config = parts.config;
    if (config instanceof LiveConfig) this.configNow = () => config.current;
    else if (config) this.configNow = () => config;
    if (parts.bus) {
      this.unsubscribe?.();
      this.unsubscribe = parts.bus.on((e) => {
        if (e.type === 'progress' && (e.stages.done ?? 0) > 0) this.onSuccess(e.jobId);
      });
    }
    return this;
  }

  /** The LLM classifier asked after the rules; null: none (a reload may add or remove it). */
  get llm(): LlmClassifier | undefined {
    return this.llmClassifier;
  }

  useLlm(options: DoctorLlmOptions | null): void {
    this.llmClassifier = options ? new LlmClassifier(options, this.log) : undefined;
    if (this.db) this.llmClassifier?.useDb(this.db);
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
    // What a handler said on purpose stands; the scheduler's own causes (a timeout, an empty
    // result) are judgments a person may correct like any other error.
    const deliberate = signal !== undefined && !isSchedulerCause(failure);
    const corrected = deliberate ? undefined : this.corrected(signature, now);
    let d = corrected ?? signal?.d ?? (await this.diagnose(record, { jobId: ctx.jobId }));
    if (!corrected && failure.signal === 'retry_later') {
      // A handler's RetryLater whose reason reads as a rate limit or a "not yet" is not the
      // item's fault: no attempt is used, and a rate limit slows the stage's resources as any
      // 429 does. Any other RetryLater counts its attempts as before.
      const hit = applyRules(record, now);
      if (hit?.class === 'rate_limited' || hit?.class === 'temporal')
        d = {
          ...d,
          class: hit.class,
          scope: 'item',
          explanation: `signal.RetryLater: ${hit.rule}`,
          ...(hit.resumeAt !== undefined ? { resumeAt: hit.resumeAt } : {}),
        };
    }
    let counts = corrected ? true : signal ? signal.counts : true;
    // A network error is judged before it may count: when the machine is offline it is no
    // one's fault, neither the item's (no attempt) nor the job's (no breaker streak).
    let offline = false;
    if (failure.cause === 'timeout' && this.network?.down) {
      // A run that timed out while the network is down waited for the network, not on the item.
      offline = true;
      counts = false;
    } else if (d.tag === 'network' && this.network) {
      offline = await this.network.isOffline({
        key: `${ctx.jobId}/${ctx.stage}`,
        host: record.site ?? ctx.host,
      });
      if (offline) counts = false;
    }
    const verdict = this.decide(d, record, ctx, counts, now);
    if (offline) {
      verdict.refundAttempt = true;
      verdict.retryAfterMs = this.network!.waitMs;
      delete verdict.pauseJob;
      verdict.action = 'retry';
      verdict.explanation = `${verdict.explanation ?? ''}; the network is down (no probe target answers): waiting for it`;
    }
    this.store(d, verdict, record, ctx, now);
    return verdict;
  }

  /**
   * Corrections → rules → cache → error model → LLM → fallback, with no side effect on
   * breakers or decisions.
   */
  async diagnose(
    record: ErrorRecord,
    opts: { jobId?: string; useLlm?: boolean } = {},
  ): Promise<Diagnosis> {
    const now = this.now();
    const signature = signatureOf(record);
    const corrected = this.corrected(signature, now);
    if (corrected) return corrected;
    const hit = applyRules(record, now);
    if (hit) {
      return {
        class: hit.class,
        action: ACTION_OF[hit.class],
        source: 'rule',
        signature,
        confidence: hit.confidence,
        explanation: redact(hit.evidence ? `${hit.rule}: ${hit.evidence}` : hit.rule),
        ...(hit.retryAfterMs !== undefined ? { retryAfterMs: hit.retryAfterMs } : {}),
        ...(hit.resumeAt !== undefined ? { resumeAt: hit.resumeAt } : {}),
        ...(hit.tag ? { tag: hit.tag } : {}),
        ...(hit.scope ? { scope: hit.scope } : {}),
      };
    }
    const cached = this.cache.get(signature);
    const unsure = cached !== undefined && cached.confidence < MIN_LLM_CONFIDENCE;
    if (cached && !unsure) {
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
    // The offline model, where the rules are silent: it answers only when sure, else the LLM
    // (or the conservative fallback) decides.
    const m = this.model?.classify(record);
    if (m && m.confidence >= MIN_MODEL_CONFIDENCE) {
      const timed = withTiming(
        { class: m.class, rule: 'model', confidence: m.confidence },
        record,
        textOf(record),
        now,
      );
      return {
        class: m.class,
        action: ACTION_OF[m.class],
        source: 'model',
        signature,
        // Its posterior is calibrated on the corpus, not on this error: discounted.
        confidence: Math.round(m.confidence * 0.8 * 100) / 100,
        explanation: redact(
          `error model (${Math.round(m.confidence * 100)}%): ${m.evidence.map((e) => `“${e}”`).join(', ')}`,
        ),
        ...(timed.retryAfterMs !== undefined ? { retryAfterMs: timed.retryAfterMs } : {}),
        ...(timed.resumeAt !== undefined ? { resumeAt: timed.resumeAt } : {}),
      };
    }
    // An unsure answer is asked again, but at most once a day: the question costs money and
    // the same error arrives many times a minute.
    const mayAsk = !unsure || now - (cached.askedAt ?? 0) >= REASK_UNSURE_MS;
    if (this.llm && opts.useLlm !== false && mayAsk) {
      const a = await this.llm.classify(record, signature, opts.jobId, now);
      if (a) {
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
        return unsureFallback(signature, a.class, a.confidence);
      }
    }
    if (unsure) return unsureFallback(signature, cached.class, cached.confidence);
    return fallback(signature, 'no rule matched; retrying with backoff');
  }

  /** A person's verdict for this signature, as a diagnosis (it wins over everything else). */
  private corrected(signature: string, now: number): Diagnosis | undefined {
    let c: Correction | undefined;
    try {
      c = this.corrections.get(signature, now);
    } catch (err) {
      // A locked database must not fail the run; the rules still judge it.
      this.log.warn({ err }, 'doctor: reading corrections failed');
      return undefined;
    }
    if (!c) return undefined;
    return {
      class: c.class,
      action: c.action ?? ACTION_OF[c.class],
      source: 'correction',
      signature,
      confidence: 1,
      explanation: `taught by the operator${c.note ? `: ${c.note}` : ''}`,
      ...(c.class === 'temporal' || c.action === 'pause_until'
        ? { resumeAt: now + DEFAULT_TEMPORAL_WAIT_MS }
        : {}),
    };
  }

  /** The engine's network monitor (ErrorClassifier.useNetwork). */
  useNetwork(judge: NetworkJudge): void {
    this.network = judge;
  }

  /** A run of the job succeeded on a site: that site's block streak ends (ErrorClassifier). */
  succeeded(jobId: string, host: string | undefined): void {
    if (!host) return;
    try {
      this.breakers.siteSuccess(jobId, host);
    } catch (err) {
      // A locked database delays the reset to the site's next success.
      this.log.warn({ err, jobId, host }, 'doctor: resetting a site streak failed');
    }
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

  /** A job's breaker thresholds as the live config sets them now. */
  thresholds(jobId: string) {
    const job = this.configNow()?.jobs.find((j) => j.id === jobId) as
      { breakers?: BreakersConfig } | undefined;
    return resolveBreakers(job?.breakers);
  }

  /**
   * From a diagnosis to what the engine does (the failure policy):
   * - an operator's correction with an action: exactly that action;
   * - temporal: the item waits until the stated time (`scope: item`, e.g. a premiere) or the
   *   job pauses until then; neither uses up an attempt;
   * - rate_limited: retried after Retry-After without using up an attempt, and the stage's
   *   shared resources slow down (throttleMs); a storm still trips its breaker;
   * - billing (out of credit or quota): the job pauses at once with the provider's words;
   * - block pages: counted per site when the stage keys a resource by host, else per job;
   *   the pause names the site and since when it blocks us;
   * - everything else: the class's breaker decides whether the job pauses.
   * A failure that pauses the job is not the item's fault either: its attempt is refunded.
   */
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
      ...(d.tag ? { tag: d.tag } : {}),
    };
    const what = `${ctx.stage}: ${describeError(record)}`;
    if (d.source === 'correction' && d.action !== ACTION_OF[d.class as ErrorClass]) {
      return this.taughtAction(v, d, what, ctx, now);
    }
    // A statistical guess never closes a whole job on one error: a temporal guess makes only
    // the item wait, and a systemic or code-bug guess needs three in a row (below).
    const guess = d.source === 'model';
    if (d.class === 'temporal') {
      const until = d.resumeAt ?? now + DEFAULT_TEMPORAL_WAIT_MS;
      v.resumeAt = until;
      v.refundAttempt = true;
      if (d.scope === 'item' || guess) {
        // Only this item is not ready yet: it waits, the job runs on.
        v.action = 'retry';
        v.retryAfterMs = Math.max(1000, until - now);
        return v;
      }
      v.action = 'pause_until';
      // The item is due the moment the job resumes, not a backoff later.
      v.retryAfterMs = Math.max(0, until - now);
      v.pauseJob = {
        reason: `doctor (temporal): ${what} — resumes by itself at ${new Date(until).toISOString()}`,
        untilMs: until,
      };
      return v;
    }
    if (d.class === 'rate_limited') {
      v.refundAttempt = true;
      v.throttleMs = d.retryAfterMs ?? DEFAULT_THROTTLE_MS;
      v.retryAfterMs = d.retryAfterMs ?? DEFAULT_THROTTLE_MS;
    }
    if (d.class === 'systemic' && d.tag === 'billing' && counts) {
      v.action = 'pause_job';
      v.refundAttempt = true;
      v.pauseJob = {
        reason: `doctor (systemic): ${what} — the provider says the account is out of credit or quota. Add credit or raise the quota, then \`jobctl unpause ${ctx.jobId}\`.`,
      };
      return v;
    }
    if (!counts || !isBreakerClass(d.class)) {
      if (d.class === 'systemic' || d.class === 'code_bug') v.action = 'retry';
      return v;
    }
    const configured = this.thresholds(ctx.jobId)[d.class];
    const threshold =
      guess && configured && (d.class === 'systemic' || d.class === 'code_bug')
        ? { ...configured, count: Math.max(GUESS_STREAK, configured.count) }
        : configured;
    const failing = record.site ?? ctx.host;
    const site = d.tag === 'block' && ctx.perHost && failing ? failing : undefined;
    const { count, firstAt, tripped } = this.breakers.record(
      ctx.jobId,
      d.class,
      threshold,
      now,
      site,
    );
    if (!tripped || !threshold) {
      if (d.class === 'systemic' || d.class === 'code_bug') v.action = 'retry';
      return v;
    }
    const until = threshold.pauseMs !== undefined ? now + threshold.pauseMs : undefined;
    const streak = `${count} ${d.class} error${count === 1 ? '' : 's'} in a row${threshold.withinMs ? ` within ${Math.round(threshold.withinMs / 1000)}s` : ''}`;
    v.action = 'pause_job';
    v.refundAttempt = true;
    const blocker = d.tag === 'block' ? failing : undefined;
    v.pauseJob = {
      reason: blocker
        ? `doctor (${d.class}): site ${blocker} is blocking us since ${new Date(firstAt).toISOString()} — ${streak}; last: ${what}. Open the site in a browser (sign in, solve the check, refresh cookies), then \`jobctl unpause ${ctx.jobId}\`.`
        : `doctor (${d.class}): ${what} — ${streak}. ${resumeHint(d.class, ctx.jobId, until)}`,
      ...(until !== undefined ? { untilMs: until } : {}),
    };
    return v;
  }

  /** An operator's correction that names an action: it is done as taught, no breaker asked. */
  private taughtAction(
    v: Verdict,
    d: Diagnosis,
    what: string,
    ctx: ClassifyContext,
    now: number,
  ): Verdict {
    v.action = d.action;
    switch (d.action) {
      case 'fail_item':
        v.class = 'item_specific';
        return v;
      case 'skip':
        v.class = 'skip';
        return v;
      case 'retry':
        if (v.class === 'item_specific') v.class = 'transient';
        return v;
      case 'pause_until': {
        const until = d.resumeAt ?? now + DEFAULT_TEMPORAL_WAIT_MS;
        v.resumeAt = until;
        v.refundAttempt = true;
        v.pauseJob = {
          reason: `doctor (${d.class}): ${what} — taught: pause until ${new Date(until).toISOString()}`,
          untilMs: until,
        };
        return v;
      }
      case 'pause_job':
        v.refundAttempt = true;
        v.pauseJob = {
          reason: `doctor (${d.class}): ${what} — taught: pause the job. ${resumeHint(isBreakerClass(d.class) ? d.class : 'systemic', ctx.jobId, undefined)}`,
        };
        return v;
    }
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
        message: describeError(record, 1000),
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

/** A timeout or an empty/malformed result: the scheduler's judgment, not the handler's intent. */
function isSchedulerCause(f: RunFailure): boolean {
  return f.cause === 'timeout' || f.cause === 'empty_result' || f.cause === 'bad_result';
}

/** The conservative verdict: retry with backoff, counted as transient. */
function fallback(signature: string, explanation: string): Diagnosis {
  return {
    class: 'transient',
    action: 'retry',
    source: 'fallback',
    signature,
    confidence: 0.3,
    explanation,
  };
}

/**
 * The LLM guessed but is unsure: keep the conservative action and say what it guessed,
 * instead of pausing a job on a hunch.
 */
function unsureFallback(signature: string, guess: string, confidence: number): Diagnosis {
  return fallback(
    signature,
    `no rule matched; the LLM guessed ${guess} but is unsure (${confidence.toFixed(2)}); retrying with backoff`,
  );
}

/**
 * The error in one line for pause reasons and stored decisions: name and message, or the
 * telling line of stderr / the body when the message says nothing (a record of only stderr).
 */
function describeError(r: ErrorRecord, max = 200): string {
  const head =
    r.message.trim() ||
    (r.stderr && tellingLine(r.stderr)) ||
    (r.body && tellingLine(r.body)) ||
    '(no message)';
  return redact(`${r.name && r.name !== 'Error' ? `${r.name}: ` : ''}${head}`).slice(0, max);
}
