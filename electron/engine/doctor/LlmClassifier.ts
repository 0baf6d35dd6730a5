import OpenAI from 'openai';
import { z } from 'zod';
import type { Db } from '../db/openDatabase.ts';
import type { Logger } from '../log/logger.ts';
import { ERROR_CLASSES } from '../runner/ErrorClassifier.ts';
import { doctorSpendSql, insertDoctorCostSql } from './queries/doctorSpend.ts';
import { redact } from './redact.ts';
import type { ErrorRecord } from './types.ts';

export interface DoctorLlmOptions {
  apiKey: string;
  model: string;
  /** OpenAI-compatible endpoint; the SDK's default (api.openai.com) when omitted. */
  baseURL?: string;
  /** Per call. Short: a slow answer is worth less than the conservative fallback. */
  timeoutMs?: number;
  /** The classifier's own budget per local day, in USD. */
  dailyBudgetUsd?: number;
  /** USD per million tokens, for the budget (defaults: a small model's prices). */
  prices?: { input: number; output: number };
}

/** The answer's JSON schema (sent as response_format) and its zod twin (checked on arrival). */
export const LlmAnswer = z.object({
  class: z.enum(ERROR_CLASSES),
  action: z.enum(['retry', 'fail_item', 'pause_job', 'pause_until']),
  resume_after: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  explanation: z.string().max(500),
});
export type LlmAnswer = z.infer<typeof LlmAnswer>;

const ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['class', 'action', 'resume_after', 'confidence', 'explanation'],
  properties: {
    class: { type: 'string', enum: [...ERROR_CLASSES] },
    action: { type: 'string', enum: ['retry', 'fail_item', 'pause_job', 'pause_until'] },
    resume_after: {
      type: ['string', 'null'],
      description: 'ISO 8601 time work may resume (temporal only)',
    },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    explanation: { type: 'string', description: 'one line for the person reading the log' },
  },
} as const;

const SYSTEM = `You classify errors from a data pipeline's stage handlers. Answer with JSON only.
Read the body and stderr text over the bare status code: a 400 saying the API key is invalid is a key problem.
Classes:
- transient: timeouts, connection resets, DNS failures, plain 5xx, an overloaded server — retrying this item soon will likely work.
- rate_limited: 429, throttling, "slow down", per-minute or daily quotas that reset — retry after a wait.
- item_specific: this one item is bad or gone (404, private/removed/age-restricted video, unsupported or corrupt input, too long for the model, content filtered) — give up on this item.
- temporal: the source is closed now and opens later (market closed, maintenance window, outside allowed hours, not yet published, a premiere or scheduled live event) — pause until resume_after.
- systemic: every item fails until a person acts (invalid or expired key or login, out of credit or billing, bot check or CAPTCHA, a local service not running, missing tool or library, expired certificate, disk full, model not found).
- code_bug: the pipeline's own code is wrong (TypeError, a Python traceback ending in AttributeError/KeyError/NameError, a malformed API request such as an invalid schema or unsupported parameter, a SQL constraint failure).
Actions: transient/rate_limited → retry; item_specific → fail_item; temporal → pause_until; systemic/code_bug → pause_job.
Give a confidence below 0.5 when the text does not say enough to tell.`;

/** Used for the budget when a server reports no usage: a generous guess, never zero. */
const GUESS_TOKENS = { in: 600, out: 120 };

/**
 * The doctor's last resort before the fallback: asks a model about an error no rule knew.
 * It never retries (maxRetries 0, ~10 s timeout) and never throws: a timeout, a 429, a
 * malformed answer or an exhausted budget all return undefined, and the caller falls back.
 * A failed signature is not re-asked for 10 minutes; a 429 silences every call for its
 * Retry-After (or a minute).
 */
export class LlmClassifier {
  private readonly client: OpenAI;
  private readonly inflight = new Map<string, Promise<LlmAnswer | undefined>>();
  private readonly failedUntil = new Map<string, number>();
  private quietUntil = 0;
  private memorySpend = { day: '', usd: 0 };
  private db: Db | undefined;
  /** Calls actually sent (tests assert the cache keeps this at one per signature). */
  sent = 0;

  constructor(
    readonly opts: DoctorLlmOptions,
    private readonly log: Logger,
  ) {
    this.client = new OpenAI({
      apiKey: opts.apiKey,
      ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
      maxRetries: 0,
      timeout: opts.timeoutMs ?? 10_000,
    });
  }

  useDb(db: Db): void {
    this.db = db;
  }

  /** Concurrent asks about one signature share one request. */
  classify(
    record: ErrorRecord,
    signature: string,
    jobId: string | undefined,
    now: number,
  ): Promise<LlmAnswer | undefined> {
    const running = this.inflight.get(signature);
    if (running) return running;
    if (now < this.quietUntil || (this.failedUntil.get(signature) ?? 0) > now)
      return Promise.resolve(undefined);
    if (this.spentToday(now) >= (this.opts.dailyBudgetUsd ?? 0.25)) {
      this.log.debug({ signature }, 'doctor LLM budget for today is spent; using the fallback');
      return Promise.resolve(undefined);
    }
    const p = this.ask(record, signature, jobId, now).finally(() =>
      this.inflight.delete(signature),
    );
    this.inflight.set(signature, p);
    return p;
  }

  private async ask(
    record: ErrorRecord,
    signature: string,
    jobId: string | undefined,
    now: number,
  ): Promise<LlmAnswer | undefined> {
    this.sent++;
    try {
      const res = await this.client.chat.completions.create({
        model: this.opts.model,
        temperature: 0,
        max_tokens: 300,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'error_verdict', strict: true, schema: ANSWER_SCHEMA },
        },
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: describe(record, signature) },
        ],
      });
      this.recordCost(jobId, res.usage?.prompt_tokens, res.usage?.completion_tokens);
      const content = res.choices[0]?.message?.content ?? '';
      const parsed = LlmAnswer.safeParse(JSON.parse(content));
      if (!parsed.success)
        throw new Error(
          `answer does not match the schema: ${parsed.error.issues[0]?.message ?? ''}`,
        );
      return parsed.data;
    } catch (err) {
      // Every failure falls back to the conservative verdict; nothing here may fail a run.
      const status = (err as { status?: unknown }).status;
      if (status === 429) {
        const ra = Number((err as { headers?: Headers }).headers?.get?.('retry-after'));
        this.quietUntil = now + (Number.isFinite(ra) && ra > 0 ? ra * 1000 : 60_000);
      }
      this.failedUntil.set(signature, now + 10 * 60_000);
      this.log.warn(
        { err: (err as Error).message, signature },
        'doctor LLM classification failed; using the fallback',
      );
      return undefined;
    }
  }

  private spentToday(now: number): number {
    const since = startOfDay(now);
    if (this.db) return (this.db.prepare(doctorSpendSql).get({ since }) as { usd: number }).usd;
    const day = new Date(since).toISOString();
    if (this.memorySpend.day !== day) this.memorySpend = { day, usd: 0 };
    return this.memorySpend.usd;
  }

  private recordCost(
    jobId: string | undefined,
    tokensIn: number | undefined,
    tokensOut: number | undefined,
  ): void {
    const p = this.opts.prices ?? { input: 0.15, output: 0.6 };
    const tin = tokensIn ?? GUESS_TOKENS.in;
    const tout = tokensOut ?? GUESS_TOKENS.out;
    const usd = (tin * p.input + tout * p.output) / 1_000_000;
    if (!this.db) {
      this.spentToday(Date.now());
      this.memorySpend.usd += usd;
      return;
    }
    this.db.prepare(insertDoctorCostSql).run({
      ts: Date.now(),
      jobId: jobId ?? '_doctor',
      usd,
      model: this.opts.model,
      tokensIn: tin,
      tokensOut: tout,
    });
  }
}

function describe(r: ErrorRecord, signature: string): string {
  const clip = (s: string | undefined, n: number) => (s ? redact(s).slice(0, n) : undefined);
  return JSON.stringify({
    name: r.name,
    code: r.code,
    status: r.status,
    stage: r.stage,
    message: clip(r.message, 1000),
    cause: r.causeCode ?? clip(r.causeMessage, 300),
    api_code: r.apiCode,
    body: clip(r.body, 800),
    stderr: r.stderr ? redact(r.stderr).slice(-800) : undefined,
    signature,
    now: new Date().toISOString(),
  });
}

function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
