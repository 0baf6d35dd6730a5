import { z } from 'zod';
import { DOCTOR_ACTIONS, MAX_NOTE, MAX_SIGNATURE } from '../doctor/correctionFields.ts';
import type { FailuresResult } from '../doctor/decisions.ts';
import { ERROR_CLASSES } from '../runner/ErrorClassifier.ts';
import { STAGE_STATUSES } from '../tracker/StageStatus.ts';
import type { SecretStatusResult } from '../secrets/secretTypes.ts';
import type {
  CountResult,
  EventRow,
  ItemDetail,
  ItemRow,
  JobSummary,
  Overview,
  AddUrlResult,
  ReloadResult,
  ResourceHeadroom,
  StatsRow,
  WhyAnswer,
  PipelinesResult,
  SettingsView,
  ThroughputResult,
  Correction,
  TeachResult,
} from './types.ts';
import type { CostReport, QaStats, ReprocessResult } from './contentTypes.ts';

/**
 * The one typed contract of EngineApi (STYLE.md §10): every command and query, its input
 * schema and its output type. The HTTP transport, the Electron IPC bridge, the preload and the
 * renderer's ApiClient are all derived from this map; inputs are validated with these
 * schemas at every transport boundary.
 *
 * Node-free on purpose: the renderer imports this file (tsconfig.web.json, no Node types), so
 * import only zod and types from node-free files (api/types.ts, tracker/StageStatus.ts,
 * runner/ErrorClassifier.ts, doctor/correctionFields.ts).
 */
const JobId = z.string().min(1);
/**
 * Bulk commands can work in chunks (the CLI's progress bar): rows after `afterRowId`, at most
 * `limit` per call, in row order; the answer's `lastRowId` is the next call's cursor. A cursor
 * (not OFFSET) so rows that finish and match again meanwhile are never touched twice.
 */
const Chunk = {
  afterRowId: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1_000_000).optional(),
};
const ItemId = z.number().int().positive();
/** Secret names as jobs.yaml references them (`secret:openai`). */
/** An error signature as `jobctl failures` prints it (doctor/signature.ts cuts them at 300). */
const Signature = z.string().trim().min(1).max(MAX_SIGNATURE);
const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (max 64)');

export const contract = {
  overview: { kind: 'query', input: z.object({}).strict(), output: {} as Overview },
  job: { kind: 'query', input: z.object({ jobId: JobId }).strict(), output: {} as JobSummary },
  items: {
    kind: 'query',
    input: z
      .object({
        jobId: JobId,
        stage: z.string().optional(),
        status: z.enum([...STAGE_STATUSES]).optional(),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).default(50),
        offset: z.number().int().min(0).default(0),
        /**
         * Keyset paging: rows after this item in (priority, id) order — pass the last row of
         * the previous page. Costs the same on page 1 and page 20,000, unlike `offset`.
         * `afterPriority` may be left out (it is read from the item).
         */
        afterId: ItemId.optional(),
        afterPriority: z.number().finite().optional(),
        /**
         * Order: `priority` (lower first, the order items run in), `newest` / `oldest` (by
         * discovery) or `updated` (latest re-discovery first). Keyset paging is for `priority`;
         * the others page with `offset` on their own index.
         */
        sort: z.enum(['priority', 'newest', 'oldest', 'updated']).default('priority'),
      })
      .strict()
      .refine((q) => q.afterId === undefined || q.sort === 'priority', {
        message: 'afterId pages in priority order; use offset with another sort',
        path: ['afterId'],
      }),
    output: {} as { items: ItemRow[]; total: number },
  },
  item: { kind: 'query', input: z.object({ itemId: ItemId }).strict(), output: {} as ItemDetail },
  events: {
    kind: 'query',
    input: z
      .object({
        jobId: JobId.optional(),
        itemId: ItemId.optional(),
        afterId: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: {} as EventRow[],
  },
  pause: {
    kind: 'command',
    input: z
      .object({
        jobId: JobId,
        reason: z.string().max(500).optional(),
        untilMs: z.number().int().positive().optional(),
      })
      .strict(),
    output: {} as { paused: true },
  },
  resume: {
    kind: 'command',
    input: z.object({ jobId: JobId }).strict(),
    output: {} as { paused: false },
  },
  wake: {
    kind: 'command',
    input: z.object({ jobId: JobId.optional() }).strict(),
    output: {} as { woken: string[]; live: boolean },
  },
  retry: {
    kind: 'command',
    input: z
      .object({
        jobId: JobId,
        stage: z.string().optional(),
        errorClass: z.string().optional(),
        statuses: z.array(z.enum(['failed', 'dead'])).default(['failed', 'dead']),
        unpause: z.boolean().default(false),
        /** Count only; change nothing. */
        dryRun: z.boolean().default(false),
        ...Chunk,
      })
      .strict(),
    output: {} as CountResult & { paused: boolean; lastRowId: number | null },
  },
  reset: {
    kind: 'command',
    input: z
      .object({
        jobId: JobId,
        stage: z.string().min(1),
        status: z.enum([...STAGE_STATUSES]).optional(),
      })
      .strict(),
    output: {} as CountResult,
  },
  cancel: {
    kind: 'command',
    input: z.object({ itemId: ItemId }).strict(),
    output: {} as { cancelled: number; wasRunning: boolean },
  },
  // Secrets are write-only: no method ever returns a value, only whether one is set and where.
  setSecret: {
    kind: 'command',
    input: z.object({ name: SecretName, value: z.string().min(1).max(16_384) }).strict(),
    output: {} as { set: true; source: 'keychain' },
  },
  deleteSecret: {
    kind: 'command',
    input: z.object({ name: SecretName }).strict(),
    output: {} as { deleted: boolean },
  },
  secretStatus: {
    kind: 'query',
    input: z.object({ names: z.array(SecretName).max(100).optional() }).strict(),
    output: {} as SecretStatusResult,
  },
  // Content stages: reprocess stale results, spend, QA rates.
  reprocess: {
    kind: 'command',
    input: z
      .object({
        jobId: JobId,
        stage: z.string().min(1),
        /** Only done rows whose version differs from the stage's current one. */
        staleOnly: z.boolean().default(false),
        /** Count and estimate; change nothing. */
        dryRun: z.boolean().default(false),
        /** Also resume the job when it is paused (queued work behind a pause is not progress). */
        unpause: z.boolean().default(false),
        ...Chunk,
      })
      .strict(),
    output: {} as ReprocessResult,
  },
  costs: {
    kind: 'query',
    input: z
      .object({
        jobId: JobId.optional(),
        since: z.number().int().min(0).optional(),
        until: z.number().int().min(0).optional(),
        groupBy: z
          .array(z.enum(['day', 'job', 'stage', 'model']))
          .default(['day', 'job', 'stage', 'model']),
      })
      .strict(),
    output: {} as CostReport,
  },
  qaStats: {
    kind: 'query',
    input: z.object({ jobId: JobId }).strict(),
    output: {} as QaStats,
  },
  failures: {
    kind: 'query',
    input: z
      .object({
        jobId: JobId,
        sinceMs: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    output: {} as FailuresResult,
  },
  clearErrors: {
    kind: 'command',
    input: z.object({ jobId: JobId }).strict(),
    output: {} as { cleared: number; paused: boolean },
  },
  /** URLs added by hand, routed by `routes:`; each is added to a job or refused with a reason. */
  addUrls: {
    kind: 'command',
    input: z.object({ urls: z.array(z.string().min(1).max(8192)).min(1).max(1000) }).strict(),
    output: {} as { results: AddUrlResult[] },
  },
  /** Re-read jobs.yaml and apply it (or, with dryRun, report what would change). */
  reload: {
    kind: 'command',
    input: z.object({ dryRun: z.boolean().default(false) }).strict(),
    output: {} as ReloadResult,
  },
  /** Why an item is not running: dependencies, pause, backoff, full resources, limits. */
  why: { kind: 'query', input: z.object({ itemId: ItemId }).strict(), output: {} as WhyAnswer },
  /** Live headroom of shared resources (in use / cap, tokens, next refill). */
  resources: { kind: 'query', input: z.object({}).strict(), output: {} as ResourceHeadroom[] },
  /** Per day, job and stage: runs done, failed, retried, and spend. */
  stats: {
    kind: 'query',
    input: z
      .object({ days: z.number().int().min(1).max(365).default(7), jobId: JobId.optional() })
      .strict(),
    output: {} as StatsRow[],
  },
  /** Jobs chained by `tracker_query` as a graph across jobs, with items per edge and pipeline labels. */
  pipelines: { kind: 'query', input: z.object({}).strict(), output: {} as PipelinesResult },
  /** Completed runs per job in fixed buckets (sparklines), from the batched `stages_done` events. */
  throughput: {
    kind: 'query',
    input: z
      .object({
        jobId: JobId.optional(),
        buckets: z.number().int().min(1).max(240).default(30),
        bucketMs: z.number().int().min(1000).max(86_400_000).default(60_000),
      })
      .strict(),
    output: {} as ThroughputResult,
  },
  // Operator corrections: a person's verdict for a signature wins over rules and cache from
  // the next diagnosis on (doctor/CorrectionStore.ts).
  listCorrections: {
    kind: 'query',
    input: z.object({}).strict(),
    output: {} as { corrections: Correction[] },
  },
  teachCorrection: {
    kind: 'command',
    input: z
      .object({
        signature: Signature,
        class: z.enum(ERROR_CLASSES),
        /** null or absent: the class's usual action. */
        action: z.enum(DOCTOR_ACTIONS).nullable().optional(),
        note: z.string().max(MAX_NOTE).nullable().optional(),
      })
      .strict(),
    output: {} as TeachResult,
  },
  /** not_found when the signature has no correction. */
  forgetCorrection: {
    kind: 'command',
    input: z.object({ signature: Signature }).strict(),
    output: {} as { forgotten: true },
  },
  /** The running config's LLM providers, notification preferences and limits: read-only, never keys. */
  settings: { kind: 'query', input: z.object({}).strict(), output: {} as SettingsView },
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type Output<M extends MethodName> = Contract[M]['output'];

/** The shape every transport implements: method name → async function. */
export type ApiClient = { [M in MethodName]: (input: Input<M>) => Promise<Output<M>> };

/** Errors cross transports as data: `{ error }` or `{ result }` (STYLE.md §10). */
export type Envelope<T> =
  | { result: T; error?: undefined }
  | { error: { message: string; code: string }; result?: undefined };

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: 'not_found' | 'invalid_input' | 'conflict' | 'unavailable' | 'internal',
    message: string,
  ) {
    super(message);
  }
}
