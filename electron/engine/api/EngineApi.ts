import { addUrls } from '../discovery/addUrls.ts';
import { clearBreakersInDb } from '../doctor/Breakers.ts';
import { CorrectionStore } from '../doctor/CorrectionStore.ts';
import { failures, itemDecisions } from '../doctor/decisions.ts';
import type { LoadedConfig } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import type { Engine } from '../runner/Engine.ts';
import { hostState } from '../runner/HostHeartbeat.ts';
import { deleteSecret, secretStatus, setSecret } from '../secrets/secretCommands.ts';
import { EnvSecretStore, type SecretStore } from '../secrets/SecretStore.ts';
import { jobStates, setPaused, setResumed } from '../tracker/jobState.ts';
import type { StageStatus } from '../tracker/StageStatus.ts';
import {
  ApiError,
  contract,
  type ApiClient,
  type Input,
  type MethodName,
  type Output,
  type ParsedInput,
} from './contract.ts';
import {
  deriveItemStatus,
  emptyCounts,
  jobItemCount,
  oldestPending,
  p50Ms,
  stageCounts,
  staleCount,
} from './readModel.ts';
import type { EventRow, ItemRow, ItemStageDetail, JobSummary, StageSummary } from './types.ts';
import { countStageRows, resetStageRows } from './resetStageRows.ts';
import { itemsQuery } from './itemsQuery.ts';
import { avgUsdPerItem, costReport } from '../cost/costReport.ts';
import { qaStats } from '../builtins/qaStats.ts';
import { explainWhy } from './explainWhy.ts';
import { planOffline } from './planOffline.ts';
import { statsQuery } from './statsQuery.ts';
import { itemLinks } from './itemLinks.ts';
import { jobExtras } from './jobExtras.ts';
import { pipelinesQuery } from './pipelinesQuery.ts';
import { settingsView } from './settingsView.ts';
import { throughputQuery } from './throughputQuery.ts';

/**
 * The one facade every caller uses — tray, dashboard, CLI, tests — so "pause" or "retry
 * failed" has exactly one implementation. With a live engine, commands also reach the
 * in-memory workers (wake, abort); without one they act on the database alone, and the
 * next host start picks the changes up.
 */
export class EngineApi implements ApiClient {
  constructor(
    private readonly db: Db,
    private readonly initialConfig: LoadedConfig,
    private readonly engine?: Engine,
  ) {}

  /** The live engine's config (it changes on reload), else the one we were given. */
  private get config(): LoadedConfig {
    return this.engine?.config ?? this.initialConfig;
  }

  /** Where API keys live; the desktop shell swaps in the keychain-backed store. */
  secrets: SecretStore = new EnvSecretStore();

  /** Validates input with the contract's schema, then calls the method (transports use this). */
  async call<M extends MethodName>(method: M, input: unknown): Promise<Output<M>> {
    if (!Object.hasOwn(contract, method))
      throw new ApiError('not_found', `unknown method \`${String(method)}\``);
    const fn = this[method] as (i: unknown) => Promise<Output<M>>;
    return fn.call(this, this.parse(method, input));
  }

  /** Direct callers get the same validation and defaults as transports. */
  private parse<M extends MethodName>(method: M, input: unknown): ParsedInput<M> {
    const parsed = contract[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      throw new ApiError(
        'invalid_input',
        `${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
      );
    }
    return parsed.data as ParsedInput<M>;
  }

  private versions(jobId: string): Map<string, { version: string; deps: string[] }> {
    const rows = this.db
      .prepare(`SELECT stage, version, deps FROM job_stages WHERE job_id = ? ORDER BY position`)
      .all(jobId) as {
      stage: string;
      version: string;
      deps: string;
    }[];
    return new Map(
      rows.map((r) => [r.stage, { version: r.version, deps: JSON.parse(r.deps) as string[] }]),
    );
  }

  private jobSummary(jobId: string, states = jobStates(this.db)): JobSummary {
    const cfg = this.config.jobs.find((j) => j.id === jobId);
    const known = this.versions(jobId);
    if (!cfg && known.size === 0) throw new ApiError('not_found', `unknown job \`${jobId}\``);
    const counts = stageCounts(this.db, jobId);
    const st = states.get(jobId);
    const stageNames = cfg ? cfg.stages.map((s) => s.name) : [...known.keys()];
    const stages: StageSummary[] = stageNames.map((name) => {
      const v = known.get(name);
      const sc = cfg?.stages.find((s) => s.name === name);
      const version = v?.version ?? String(sc?.version ?? '1');
      return {
        name,
        version,
        concurrency: sc?.concurrency ?? 1,
        deps: cfg ? (cfg.graph.deps.get(name) ?? []) : (v?.deps ?? []),
        counts: counts.get(name) ?? emptyCounts(),
        stale: staleCount(this.db, jobId, name, version),
        p50Ms: p50Ms(this.db, jobId, name),
        oldestPendingAt: oldestPending(this.db, jobId, name),
      };
    });
    const items = jobItemCount(this.db, jobId);
    const lastDiscovery = this.db
      .prepare(`SELECT max(ts) AS t FROM events WHERE job_id = ? AND kind = 'discovery_round'`)
      .get(jobId) as { t: number | null };
    return {
      id: jobId,
      title: cfg?.title ?? jobId,
      emoji: cfg?.emoji ?? null,
      enabled: cfg?.enabled ?? false,
      tags: cfg?.tags ?? [],
      pipeline: cfg?.pipeline ?? null,
      orphaned: !cfg,
      paused: st?.paused ?? false,
      pauseReason: st?.reason ?? null,
      pausedAt: st?.pausedAt ?? null,
      pausedUntil: st?.until ?? null,
      items,
      stages,
      lastDiscoveryAt: lastDiscovery.t,
      ...jobExtras(this.db, this.config, jobId),
    };
  }

  async overview(_input: Input<'overview'> = {}): Promise<Output<'overview'>> {
    const states = jobStates(this.db);
    const ids = new Set(this.config.jobs.map((j) => j.id));
    for (const r of this.db.prepare(`SELECT DISTINCT job_id AS id FROM job_stages`).all() as {
      id: string;
    }[])
      ids.add(r.id);
    const h = hostState(this.db);
    return {
      host: { state: h.state, pid: h.pid ?? null, heartbeatAt: h.heartbeatAt ?? null },
      config: {
        file: this.config.file,
        error: this.engine?.configError ?? null,
        retired: this.engine?.retired ?? null,
      },
      network: this.engine?.networkState() ?? null,
      jobs: [...ids].map((id) => this.jobSummary(id, states)),
      generatedAt: Date.now(),
    };
  }

  async job(input: Input<'job'>): Promise<Output<'job'>> {
    return this.jobSummary(input.jobId);
  }

  async items(input: Input<'items'>): Promise<Output<'items'>> {
    return itemsQuery(this.db, this.parse('items', input));
  }

  async item(input: Input<'item'>): Promise<Output<'item'>> {
    const row = this.db
      .prepare(
        `SELECT id, job_id AS jobId, item_key AS key, priority, discovered_at AS discoveredAt, updated_at AS updatedAt, data,
                source_item_id AS sourceItemId FROM items WHERE id = ?`,
      )
      .get(input.itemId) as
      | (Omit<ItemRow, 'status' | 'title'> & { data: string; sourceItemId: number | null })
      | undefined;
    if (!row) throw new ApiError('not_found', `no item ${input.itemId}`);
    const versions = this.versions(row.jobId);
    const stages = this.db
      .prepare(
        `SELECT s.stage, s.status, s.attempts, s.crashes, s.ready_at AS readyAt, s.started_at AS startedAt, s.ended_at AS endedAt,
                s.elapsed_ms AS elapsedMs, s.error, s.error_class AS errorClass, s.version, r.output, r.artifacts
           FROM item_stages s LEFT JOIN results r ON r.item_id = s.item_id AND r.stage = s.stage
          WHERE s.item_id = ? ORDER BY s.id`,
      )
      .all(input.itemId) as (Omit<
      ItemStageDetail,
      'result' | 'artifacts' | 'stale' | 'currentVersion'
    > & {
      output: string | null;
      artifacts: string | null;
    })[];
    const detail: ItemStageDetail[] = stages.map(({ output, artifacts, ...s }) => {
      const current = versions.get(s.stage)?.version ?? null;
      return {
        ...s,
        currentVersion: current,
        stale: s.status === 'done' && current !== null && s.version !== current,
        result: output ? (JSON.parse(output) as Record<string, unknown>) : null,
        artifacts: artifacts ? (JSON.parse(artifacts) as Record<string, unknown>) : null,
      };
    });
    const data = JSON.parse(row.data) as Record<string, unknown>;
    return {
      item: {
        ...row,
        data,
        status: deriveItemStatus(detail.map((s) => s.status as StageStatus)),
        title: typeof data.title === 'string' ? data.title : null,
      },
      stages: detail,
      events: await this.events({ itemId: input.itemId, limit: 200 }),
      doctor: itemDecisions(this.db, input.itemId),
      ...itemLinks(this.db, row.id, row.sourceItemId),
    };
  }

  async events(raw: Input<'events'>): Promise<Output<'events'>> {
    const input = this.parse('events', raw);
    const rows = this.db
      .prepare(
        `SELECT id, ts, job_id AS jobId, item_id AS itemId, stage, kind, data FROM events
          WHERE (@jobId IS NULL OR job_id = @jobId) AND (@itemId IS NULL OR item_id = @itemId) AND id > @afterId
          ORDER BY id DESC LIMIT @limit`,
      )
      .all({
        jobId: input.jobId ?? null,
        itemId: input.itemId ?? null,
        afterId: input.afterId ?? 0,
        limit: input.limit ?? 100,
      }) as (Omit<EventRow, 'data'> & { data: string | null })[];
    return rows.map((r) => ({ ...r, data: r.data ? (JSON.parse(r.data) as unknown) : null }));
  }

  private requireJob(jobId: string): void {
    if (this.config.jobs.some((j) => j.id === jobId)) return;
    if (this.db.prepare(`SELECT 1 FROM job_stages WHERE job_id = ? LIMIT 1`).get(jobId)) return;
    const known = this.config.jobs.map((j) => j.id).join(', ');
    throw new ApiError('not_found', `unknown job \`${jobId}\` (jobs: ${known || 'none'})`);
  }

  async pause(input: Input<'pause'>): Promise<Output<'pause'>> {
    this.requireJob(input.jobId);
    const reason = input.reason ?? 'paused by user';
    if (this.engine) this.engine.pauseJob(input.jobId, reason, input.untilMs);
    else {
      setPaused(this.db, input.jobId, reason, input.untilMs ?? null);
      this.event(input.jobId, 'job_paused', { reason, until: input.untilMs ?? null });
    }
    return { paused: true };
  }

  async resume(input: Input<'resume'>): Promise<Output<'resume'>> {
    this.requireJob(input.jobId);
    if (this.engine) this.engine.resumeJob(input.jobId, 'resumed by user');
    else {
      setResumed(this.db, input.jobId);
      this.event(input.jobId, 'job_resumed', { why: 'resumed by user' });
    }
    return { paused: false };
  }

  async wake(input: Input<'wake'>): Promise<Output<'wake'>> {
    if (input.jobId) this.requireJob(input.jobId);
    if (!this.engine) return { woken: [], live: false };
    return { woken: this.engine.wakeAll(input.jobId), live: true };
  }

  /**
   * Failed/dead stages (quarantined ones too) go back to pending (or waiting, when an upstream
   * stage is not done) with a fresh attempt budget and no crashes counted. A paused job stays paused unless `unpause`: queued items
   * behind a pause must never look like progress, so the result says it is still paused.
   */
  async retry(input: Input<'retry'>): Promise<Output<'retry'>> {
    const q = this.parse('retry', input);
    this.requireJob(q.jobId);
    const deps = Object.fromEntries([...this.versions(q.jobId)].map(([s, v]) => [s, v.deps]));
    const params = {
      jobId: q.jobId,
      stage: q.stage ?? null,
      errorClass: q.errorClass ?? null,
      statuses: JSON.stringify(q.statuses),
      deps: JSON.stringify(deps),
      afterRowId: q.afterRowId,
      limit: q.limit ?? -1,
      now: Date.now(),
    };
    const match = `job_id = @jobId AND status IN (SELECT value FROM json_each(@statuses))
           AND (@stage IS NULL OR stage = @stage) AND (@errorClass IS NULL OR error_class = @errorClass)`;
    if (q.dryRun) {
      const n = this.db
        .prepare(`SELECT count(*) AS n FROM item_stages WHERE ${match}`)
        .get(params) as { n: number };
      return {
        count: n.n,
        paused: jobStates(this.db).get(q.jobId)?.paused ?? false,
        lastRowId: null,
      };
    }
    const rows = this.db
      .prepare(
        `UPDATE item_stages SET
           status = CASE WHEN EXISTS (SELECT 1 FROM item_stages d WHERE d.item_id = item_stages.item_id
                         AND d.stage IN (SELECT value FROM json_each(coalesce(json_extract(@deps, '$."' || item_stages.stage || '"'), '[]')))
                         AND d.status <> 'done') THEN 'waiting' ELSE 'pending' END,
           attempts = 0, crashes = 0, ready_at = @now, lease_owner = NULL, lease_until = NULL
         WHERE id IN (SELECT id FROM item_stages WHERE ${match} AND id > @afterRowId ORDER BY id LIMIT @limit)
         RETURNING id`,
      )
      .all(params) as { id: number }[];
    const count = rows.length;
    // Cancelled items had their waiting stages failed too; those become waiting again above.
    this.event(q.jobId, 'bulk_retry', {
      count,
      stage: q.stage ?? null,
      errorClass: q.errorClass ?? null,
    });
    if (q.unpause) await this.resume({ jobId: q.jobId });
    this.engine?.wake(q.jobId);
    const paused = jobStates(this.db).get(q.jobId)?.paused ?? false;
    return {
      count,
      paused,
      lastRowId: rows.reduce<number | null>((m, r) => (m === null || r.id > m ? r.id : m), null),
    };
  }

  /**
   * Puts one stage (optionally only rows in one status) back to the start, and every stage
   * downstream of it back to waiting, so the item flows again from there.
   */
  async reset(input: Input<'reset'>): Promise<Output<'reset'>> {
    this.requireJob(input.jobId);
    const v = this.versions(input.jobId);
    if (!v.has(input.stage)) {
      throw new ApiError(
        'not_found',
        `job \`${input.jobId}\` has no stage \`${input.stage}\` (stages: ${[...v.keys()].join(', ')})`,
      );
    }
    if (input.status === 'running' && this.engine) {
      throw new ApiError(
        'conflict',
        'a live host is running these rows; cancel items or stop the host before resetting running rows',
      );
    }
    const cfg = this.config.jobs.find((j) => j.id === input.jobId);
    const downstream = cfg?.graph.downstream.get(input.stage) ?? [];
    const deps = v.get(input.stage)?.deps ?? [];
    const now = Date.now();
    let count = 0;
    this.db
      .transaction(() => {
        const { ids } = resetStageRows(this.db, {
          jobId: input.jobId,
          stage: input.stage,
          deps,
          downstream,
          statuses: input.status ? [input.status] : null,
          now,
        });
        count = ids.length;
        this.event(input.jobId, 'stage_reset', {
          stage: input.stage,
          status: input.status ?? null,
          count,
        });
      })
      .immediate();
    this.engine?.wake(input.jobId);
    return { count };
  }

  /** Stops an item: its running stage is aborted, every unfinished stage becomes failed (cancelled). */
  async cancel(input: Input<'cancel'>): Promise<Output<'cancel'>> {
    const item = this.db
      .prepare(`SELECT job_id AS jobId FROM items WHERE id = ?`)
      .get(input.itemId) as { jobId: string } | undefined;
    if (!item) throw new ApiError('not_found', `no item ${input.itemId}`);
    const wasRunning = this.engine?.cancelRunning(input.itemId) ?? false;
    // Running rows are left to the abort (the worker writes `failed: cancelled`); without a
    // live host, a `running` row belongs to a dead host and is cancelled here directly.
    const count = this.db
      .prepare(
        `UPDATE item_stages SET status = 'failed', error = 'cancelled by user', error_class = 'cancelled', ended_at = @now,
                lease_owner = NULL, lease_until = NULL
          WHERE item_id = @itemId AND status IN ('waiting', 'pending', 'retry' ${this.engine ? '' : ", 'running'"})`,
      )
      .run({ itemId: input.itemId, now: Date.now() }).changes;
    this.event(item.jobId, 'item_cancelled', { count, wasRunning }, input.itemId);
    return { cancelled: count + (wasRunning ? 1 : 0), wasRunning };
  }

  async setSecret(input: Input<'setSecret'>): Promise<Output<'setSecret'>> {
    return setSecret(this.secrets, input);
  }

  async deleteSecret(input: Input<'deleteSecret'>): Promise<Output<'deleteSecret'>> {
    return deleteSecret(this.secrets, input);
  }

  async secretStatus(input: Input<'secretStatus'>): Promise<Output<'secretStatus'>> {
    return secretStatus(this.secrets, input);
  }

  /**
   * Runs a stage again (all its finished rows, or only stale ones) and everything downstream,
   * reusing upstream results and artifacts: nothing upstream is fetched again.
   */
  async reprocess(input: Input<'reprocess'>): Promise<Output<'reprocess'>> {
    const q = this.parse('reprocess', input);
    this.requireJob(q.jobId);
    const v = this.versions(q.jobId);
    const current = v.get(q.stage);
    if (!current && v.size === 0)
      throw new ApiError(
        'not_found',
        `job \`${q.jobId}\` has not run yet, so it has no results to reprocess (start the host once: \`jobctl run --once\`)`,
      );
    if (!current)
      throw new ApiError(
        'not_found',
        `job \`${q.jobId}\` has no stage \`${q.stage}\` (stages: ${[...v.keys()].join(', ')})`,
      );
    const cfg = this.config.jobs.find((j) => j.id === q.jobId);
    const downstream = cfg?.graph.downstream.get(q.stage) ?? [];
    const filter = {
      jobId: q.jobId,
      stage: q.stage,
      deps: current.deps,
      downstream,
      // Running rows are left alone: the live run's result will be stamped and judged later.
      statuses: q.staleOnly ? ['done'] : ['done', 'failed', 'dead', 'skipped'],
      ...(q.staleOnly ? { staleAgainst: current.version } : {}),
      afterRowId: q.afterRowId,
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      now: Date.now(),
    };
    const stages = [q.stage, ...downstream];
    const avg = avgUsdPerItem(this.db, q.jobId, stages);
    let count = q.dryRun || q.limit === undefined ? countStageRows(this.db, filter) : q.limit;
    let lastRowId: number | null = null;
    if (!q.dryRun && count > 0) {
      this.db
        .transaction(() => {
          const done = resetStageRows(this.db, filter);
          count = done.ids.length;
          lastRowId = done.lastRowId;
          this.event(q.jobId, 'stage_reprocess', { stage: q.stage, staleOnly: q.staleOnly, count });
        })
        .immediate();
      this.engine?.wake(q.jobId);
    }
    if (q.unpause && !q.dryRun) await this.resume({ jobId: q.jobId });
    return {
      paused: jobStates(this.db).get(q.jobId)?.paused ?? false,
      count,
      stages,
      avgUsdPerItem: avg,
      estimatedUsd: avg === null ? null : avg * count,
      dryRun: q.dryRun,
      staleOnly: q.staleOnly,
      lastRowId,
    };
  }

  /** Spend per day/job/stage/model, and today's spend against each daily limit. */
  async costs(input: Input<'costs'>): Promise<Output<'costs'>> {
    const q = input as ParsedInput<'costs'>;
    if (q.jobId) this.requireJob(q.jobId);
    return costReport(this.db, this.config, {
      groupBy: q.groupBy,
      ...(q.jobId ? { jobId: q.jobId } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.until !== undefined ? { until: q.until } : {}),
    });
  }

  /** Audit pass rates per check and LLM-check discrepancy rates per field. */
  async qaStats(input: Input<'qaStats'>): Promise<Output<'qaStats'>> {
    this.requireJob(input.jobId);
    return qaStats(this.db, input.jobId);
  }

  private event(jobId: string, kind: string, data: unknown, itemId: number | null = null): void {
    this.db
      .prepare(`INSERT INTO events (ts, job_id, item_id, kind, data) VALUES (?, ?, ?, ?, ?)`)
      .run(Date.now(), jobId, itemId, kind, JSON.stringify(data));
  }

  /** Errors of a job grouped by class and signature, with its open breaker streaks. */
  async failures(raw: Input<'failures'>): Promise<Output<'failures'>> {
    this.requireJob(raw.jobId);
    return failures(this.db, raw.jobId, raw.sinceMs ?? 0, raw.limit ?? 50);
  }

  /** Resets the doctor's breakers for a job (the pause itself stays: resume or retry lifts it). */
  async clearErrors(input: Input<'clearErrors'>): Promise<Output<'clearErrors'>> {
    this.requireJob(input.jobId);
    const live = this.engine?.classifier as { clearErrors?: (jobId: string) => number } | undefined;
    const cleared = live?.clearErrors?.(input.jobId) ?? clearBreakersInDb(this.db, input.jobId);
    this.event(input.jobId, 'errors_cleared', { cleared });
    return { cleared, paused: jobStates(this.db).get(input.jobId)?.paused ?? false };
  }

  /** Operator corrections, newest first. */
  async listCorrections(_input: Input<'listCorrections'> = {}): Promise<Output<'listCorrections'>> {
    return { corrections: this.corrections().list() };
  }

  /**
   * Stores a person's verdict for a signature. It is written to the database, which the doctor
   * reads on every diagnosis, so the next error with that signature follows it (no reload).
   */
  async teachCorrection(raw: Input<'teachCorrection'>): Promise<Output<'teachCorrection'>> {
    const input = this.parse('teachCorrection', raw);
    const store = this.corrections();
    return { correction: store.teach(input), matched: store.matches(input.signature) };
  }

  async forgetCorrection(raw: Input<'forgetCorrection'>): Promise<Output<'forgetCorrection'>> {
    const { signature } = this.parse('forgetCorrection', raw);
    if (!this.corrections().forget(signature))
      throw new ApiError('not_found', `no correction for signature \`${signature}\``);
    return { forgotten: true };
  }

  private corrections(): CorrectionStore {
    const store = new CorrectionStore();
    store.useDb(this.db);
    return store;
  }

  /** URLs added by hand (CLI, dashboard, drag & drop), routed by `routes:` (discovery/addUrls.ts). */
  async addUrls(input: Input<'addUrls'>): Promise<Output<'addUrls'>> {
    return { results: addUrls(this.db, this.config, input.urls, this.engine) };
  }

  /** Hot reload through the running host; without one, validates the file and plans against the DB. */
  async reload(raw: Input<'reload'>): Promise<Output<'reload'>> {
    const input = this.parse('reload', raw);
    if (this.engine?.reloader) return { ...(await this.engine.reloader(input.dryRun)), live: true };
    return { ...(await planOffline(this.db, this.config)), live: false };
  }

  async why(input: Input<'why'>): Promise<Output<'why'>> {
    return explainWhy(this.db, this.config, this.engine, input.itemId);
  }

  /** Live headroom with a host; the configured limits (nothing in use) without one. */
  async resources(_input: Input<'resources'> = {}): Promise<Output<'resources'>> {
    if (this.engine) return this.engine.resources.snapshot();
    return Object.entries(this.config.resources ?? {}).map(([name, r]) => ({
      name,
      key: null,
      inUse: 0,
      cap: r.concurrency ?? null,
      tokens: null,
      burst: r.burst ?? null,
      nextTokenInMs: null,
      waiting: 0,
    }));
  }

  async stats(raw: Input<'stats'>): Promise<Output<'stats'>> {
    const input = this.parse('stats', raw);
    if (input.jobId) this.requireJob(input.jobId);
    return statsQuery(this.db, input.days, input.jobId ?? null);
  }

  async pipelines(): Promise<Output<'pipelines'>> {
    return pipelinesQuery(this.db, this.config);
  }

  async throughput(raw: Input<'throughput'>): Promise<Output<'throughput'>> {
    const q = this.parse('throughput', raw);
    if (q.jobId) this.requireJob(q.jobId);
    return throughputQuery(this.db, q);
  }

  async settings(): Promise<Output<'settings'>> {
    return settingsView(this.config);
  }
}
